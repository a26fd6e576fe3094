package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a graph's components are placed now.
 *
 * @param components cluster per component name
 * @param usageReported whether the clusters' reported capacity already counts these components
 *     as used. If so, the scheduler adds their requests back to their current clusters, so that
 *     placing a running graph where it is does not count it twice.
 * @param requests per component, the total requests it was placed with, which are what its
 *     cluster counts as used. A component missing here is taken to request what it requests now.
 */
public record PreviousPlacement(
    SortedMap<String, ClusterName> components, boolean usageReported, SortedMap<String, ResourceList> requests) {

  public static final PreviousPlacement NONE = new PreviousPlacement(new TreeMap<>(), false, new TreeMap<>());

  public PreviousPlacement {
    components = Collections.unmodifiableSortedMap(new TreeMap<>(components));
    requests = Collections.unmodifiableSortedMap(new TreeMap<>(requests));
  }

  public static PreviousPlacement of(Map<String, ClusterName> components, boolean usageReported) {
    return new PreviousPlacement(new TreeMap<>(components), usageReported, new TreeMap<>());
  }

  public static PreviousPlacement of(
      Map<String, ClusterName> components, boolean usageReported, Map<String, ResourceList> requests) {
    return new PreviousPlacement(new TreeMap<>(components), usageReported, new TreeMap<>(requests));
  }
}
