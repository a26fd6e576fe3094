package com.petuum.rampart.scheduler.ledger;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reservations of a ledger at one version. Immutable.
 *
 * @param version changes whenever a reservation is added, released, confirmed or expires
 * @param reservations per graph, what it holds on each cluster
 */
public record LedgerSnapshot(long version, SortedMap<GraphKey, SortedMap<ClusterName, ResourceList>> reservations) {

  public static final LedgerSnapshot EMPTY = new LedgerSnapshot(0, new TreeMap<>());

  public LedgerSnapshot {
    TreeMap<GraphKey, SortedMap<ClusterName, ResourceList>> copy = new TreeMap<>();
    reservations.forEach((graph, byCluster) -> copy.put(graph, Collections.unmodifiableSortedMap(new TreeMap<>(byCluster))));
    reservations = Collections.unmodifiableSortedMap(copy);
  }

  /** Calls {@code action} with each cluster and amount that a graph other than {@code excluded} holds; null excludes none. */
  public void forEachReservation(GraphKey excluded, java.util.function.BiConsumer<ClusterName, ResourceList> action) {
    for (Map.Entry<GraphKey, SortedMap<ClusterName, ResourceList>> entry : reservations.entrySet()) {
      if (!entry.getKey().equals(excluded)) {
        entry.getValue().forEach(action);
      }
    }
  }

  /** Returns, per cluster, what every graph except {@code excluded} holds; null excludes none. */
  public SortedMap<ClusterName, ResourceList> reservedByCluster(GraphKey excluded) {
    TreeMap<ClusterName, ResourceList> byCluster = new TreeMap<>();
    for (Map.Entry<GraphKey, SortedMap<ClusterName, ResourceList>> entry : reservations.entrySet()) {
      if (entry.getKey().equals(excluded)) {
        continue;
      }
      entry.getValue().forEach((cluster, amount) -> byCluster.merge(cluster, amount, ResourceList::plus));
    }
    return byCluster;
  }
}
