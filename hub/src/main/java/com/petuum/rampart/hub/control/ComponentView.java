package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One component's entry in the hub graph's {@code status.components}. Immutable.
 *
 * @param observedGeneration the hub graph generation the phase was observed at; 0 before any
 *     report
 * @param observedAt when the hub learned this phase
 */
record ComponentView(
    String cluster,
    String namespace,
    String phase,
    String message,
    long observedGeneration,
    Instant observedAt,
    List<String> endpoints) {

  static final String PENDING = "Pending";
  static final String DEPLOYED = "Deployed";
  static final String FAILED = "Failed";

  ComponentView {
    requireNonNull(cluster, "cluster");
    requireNonNull(namespace, "namespace");
    requireNonNull(phase, "phase");
    requireNonNull(message, "message");
    requireNonNull(observedAt, "observedAt");
    endpoints = List.copyOf(endpoints);
  }

  boolean deployedAt(long generation) {
    return DEPLOYED.equals(phase) && observedGeneration == generation;
  }
}
