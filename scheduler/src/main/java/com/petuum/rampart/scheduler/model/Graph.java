package com.petuum.rampart.scheduler.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A RampartGraph as the scheduler sees it.
 *
 * @param placement the inline {@code spec.placement} fields, {@link PlacementSpec#EMPTY} when absent
 * @param policyRef the policy named in {@code spec.placement.policyRef}, or null
 */
public record Graph(
    GraphKey key,
    Map<String, String> labels,
    long generation,
    PlacementSpec placement,
    PolicyRef policyRef,
    SortedMap<String, Component> components,
    SortedMap<String, Flow> flows) {

  public Graph {
    Objects.requireNonNull(key, "key");
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    placement = placement == null ? PlacementSpec.EMPTY : placement;
    components = Collections.unmodifiableSortedMap(new TreeMap<>(components));
    flows = Collections.unmodifiableSortedMap(new TreeMap<>(flows == null ? Map.of() : flows));
  }
}
