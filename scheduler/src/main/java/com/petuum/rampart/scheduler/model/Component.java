package com.petuum.rampart.scheduler.model;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A component of a graph, reduced to what placement needs.
 *
 * @param flows names of the flows its inputs and outputs use, sorted
 * @param resources the pods it runs; empty when the graph does not say, in which case the
 *     component needs only a slot
 */
public record Component(
    String name, Chart chart, SortedSet<String> flows, List<PodSet> resources, ComponentPlacement placement) {

  public Component {
    Objects.requireNonNull(name, "name");
    flows = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(flows == null ? List.of() : flows));
    resources = List.copyOf(resources == null ? List.of() : resources);
    placement = placement == null ? ComponentPlacement.NONE : placement;
  }

  public boolean requests(String resource) {
    for (PodSet pods : resources) {
      if (pods.count() > 0 && pods.requests().get(resource) > 0) {
        return true;
      }
    }
    return false;
  }

  public Component withResources(List<PodSet> newResources) {
    return new Component(name, chart, flows, newResources, placement);
  }
}
