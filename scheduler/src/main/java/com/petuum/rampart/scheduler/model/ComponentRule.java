package com.petuum.rampart.scheduler.model;

import java.util.List;
import java.util.Objects;

/**
 * Extra constraints for the components a policy rule matches.
 *
 * @param clusterAffinity added to the graph's required affinity, or null
 * @param tolerations added to the graph's tolerations
 * @param resources replaces the component's own {@code resources} when not empty
 */
public record ComponentRule(
    ComponentMatch match, ClusterAffinity clusterAffinity, List<Toleration> tolerations, List<PodSet> resources) {

  public ComponentRule {
    Objects.requireNonNull(match, "match");
    tolerations = List.copyOf(tolerations == null ? List.of() : tolerations);
    resources = List.copyOf(resources == null ? List.of() : resources);
  }
}
