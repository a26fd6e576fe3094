package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.model.ClusterName;
import java.util.List;

/**
 * What happened to one co-location group.
 *
 * @param cluster where the whole group went, or null when it was split or not placed
 * @param storageDomain the storage domain its components were split over, or null
 * @param feasibleClusters how many clusters could take the whole group before this graph's
 *     other groups were assigned
 * @param candidates per cluster, the verdict and score; filled by {@link Scheduler#explain} only
 * @param summary why the group was not placed, or null when it was
 */
public record GroupOutcome(
    List<String> components, ClusterName cluster, String storageDomain, int feasibleClusters, List<Candidate> candidates, String summary) {

  public GroupOutcome {
    components = List.copyOf(components);
    candidates = List.copyOf(candidates == null ? List.of() : candidates);
  }
}
