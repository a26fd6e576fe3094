package com.petuum.rampart.scheduler.policy;

import com.petuum.rampart.scheduler.model.PlacementSpec;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The placement that applies to a graph after policy selection.
 *
 * @param spec graph-level fields after merging
 * @param source where they came from, for people: {@code policy gpu-first (policyRef)},
 *     {@code inline spec.placement}, {@code policy team-a (selected by labels, priority 10)} or
 *     {@code defaults}
 * @param components per component name, its combined constraints
 */
public record ResolvedPlacement(PlacementSpec spec, String source, SortedMap<String, ComponentConstraints> components) {

  public ResolvedPlacement {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(source, "source");
    components = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(components));
  }
}
