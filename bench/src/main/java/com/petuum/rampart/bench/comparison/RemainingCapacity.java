package com.petuum.rampart.bench.comparison;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate free capacity of each cluster, kept apart from the scheduler under test, so that
 * a placement that takes more than a cluster has left can be counted as over-placed.
 */
final class RemainingCapacity {

  private final Map<ClusterName, Map<String, Long>> remaining = new HashMap<>();

  RemainingCapacity(List<MemberCluster> clusters) {
    for (MemberCluster cluster : clusters) {
      remaining.put(cluster.name(), new HashMap<>(cluster.available().milli()));
    }
  }

  /**
   * Subtracts a placement's reservations and returns whether any cluster it uses went below zero
   * on any resource.
   */
  boolean take(Map<ClusterName, ResourceList> reservations) {
    boolean over = false;
    for (Map.Entry<ClusterName, ResourceList> entry : reservations.entrySet()) {
      Map<String, Long> free = remaining.get(entry.getKey());
      if (free == null) {
        throw new IllegalStateException("placement on cluster " + entry.getKey() + ", which is not in the inventory file");
      }
      for (Map.Entry<String, Long> amount : entry.getValue().milli().entrySet()) {
        long left = free.getOrDefault(amount.getKey(), 0L) - amount.getValue();
        free.put(amount.getKey(), left);
        over |= left < 0;
      }
    }
    return over;
  }

  /** Adds back the reservations of a placement that was released. */
  void give(Map<ClusterName, ResourceList> reservations) {
    for (Map.Entry<ClusterName, ResourceList> entry : reservations.entrySet()) {
      Map<String, Long> free = remaining.get(entry.getKey());
      entry.getValue().milli().forEach((resource, amount) -> free.merge(resource, amount, Long::sum));
    }
  }
}
