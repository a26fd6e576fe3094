package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/**
 * A PlacementPolicy object.
 *
 * @param graphSelector graphs in the policy's namespace it selects, or null to select none
 *     unless a graph names it in {@code policyRef}
 * @param priority among several selecting policies the highest wins, then the lowest name
 */
public record PlacementPolicy(String namespace, String name, LabelSelector graphSelector, int priority, PlacementSpec spec) {

  public PlacementPolicy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
  }

  public boolean selects(Graph graph) {
    return graphSelector != null && namespace.equals(graph.key().namespace()) && graphSelector.matches(graph.labels());
  }
}
