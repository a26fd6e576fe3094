package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/**
 * Spread of a graph's components over the values of one cluster label.
 *
 * @param topologyKey cluster label whose values are the domains, such as
 *     {@code topology.rampart.petuum.com/region}
 * @param minDomains least number of distinct domains the graph must use (1 or more)
 * @param maxComponentsPerDomain most components in one domain, or 0 for no limit
 */
public record SpreadConstraint(String topologyKey, int minDomains, int maxComponentsPerDomain) {

  public SpreadConstraint {
    Objects.requireNonNull(topologyKey, "topologyKey");
    if (topologyKey.isEmpty()) {
      throw new IllegalArgumentException("topologyKey: empty (expected a cluster label key such as topology.rampart.petuum.com/region)");
    }
    if (minDomains < 1) {
      throw new IllegalArgumentException("minDomains: " + minDomains + " (expected 1 or more)");
    }
    if (maxComponentsPerDomain < 0) {
      throw new IllegalArgumentException("maxComponentsPerDomain: " + maxComponentsPerDomain + " (expected 0 for no limit, or more)");
    }
  }
}
