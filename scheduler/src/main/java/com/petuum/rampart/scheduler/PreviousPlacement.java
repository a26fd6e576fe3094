package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.model.ClusterName;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a graph's components are placed now.
 *
 * @param components cluster per component name
 * @param usageReported whether the clusters' reported capacity already counts these components
 *     as used; if so the scheduler adds their requests back to their current clusters, so that
 *     placing a running graph where it is does not count it twice
 */
public record PreviousPlacement(SortedMap<String, ClusterName> components, boolean usageReported) {

  public static final PreviousPlacement NONE = new PreviousPlacement(new TreeMap<>(), false);

  public PreviousPlacement {
    components = Collections.unmodifiableSortedMap(new TreeMap<>(components));
  }

  public static PreviousPlacement of(Map<String, ClusterName> components, boolean usageReported) {
    return new PreviousPlacement(new TreeMap<>(components), usageReported);
  }
}
