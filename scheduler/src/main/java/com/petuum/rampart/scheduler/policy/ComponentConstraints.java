package com.petuum.rampart.scheduler.policy;

import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything that constrains one component once the graph's policy, the matching component
 * rules and the component's own placement are combined.
 *
 * @param requiredAffinities every one must match the cluster
 * @param tolerations the taints the component tolerates
 * @param preferredAffinities soft preferences, with weights
 * @param resources the pods the component runs
 * @param capabilities capabilities the cluster must list: chart requires, and {@code pulsar} for
 *     a component on a pulsar flow
 */
public record ComponentConstraints(
    String component,
    List<ClusterAffinity> requiredAffinities,
    List<Toleration> tolerations,
    List<PreferredAffinity> preferredAffinities,
    List<PodSet> resources,
    SortedSet<String> capabilities) {

  public ComponentConstraints {
    Objects.requireNonNull(component, "component");
    requiredAffinities = List.copyOf(requiredAffinities);
    tolerations = List.copyOf(tolerations);
    preferredAffinities = List.copyOf(preferredAffinities);
    resources = List.copyOf(resources);
    capabilities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(capabilities));
  }

  /** Returns what all the component's pods request together. */
  public ResourceList totalRequests() {
    ResourceList total = ResourceList.EMPTY;
    for (PodSet pods : resources) {
      total = total.plus(pods.total());
    }
    return total;
  }
}
