package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A group of identical pods a component runs, as the scheduler counts them. Immutable.
 *
 * @param count how many pods
 * @param requests requests per pod by resource name, such as {@code cpu} or {@code nvidia.com/gpu}
 */
public record PodResources(int count, Map<String, Quantity> requests) {

  public PodResources {
    requests = Map.copyOf(requireNonNull(requests, "requests"));
  }
}
