package com.petuum.rampart.scheduler.group;

import java.util.List;
import java.util.SortedSet;

/**
 * Components that must share a cluster, or clusters that share a storage domain, because a
 * volume flow or a repository flow without a remote joins them.
 *
 * @param index position in the list {@link ColocationGroups#of} returns
 * @param components component names, sorted
 * @param bindingFlows the flows that join them, sorted; empty for a lone component
 * @param neighbours indices of other groups this one exchanges cross-cluster flows with
 */
public record ColocationGroup(int index, List<String> components, SortedSet<String> bindingFlows, List<Integer> neighbours) {

  public ColocationGroup {
    components = List.copyOf(components);
    bindingFlows = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(bindingFlows));
    neighbours = List.copyOf(neighbours);
  }
}
