package com.petuum.rampart.hub.control;

import com.petuum.rampart.proto.v1.ComponentStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The agents' latest status reports, per graph UID and cluster. Reports arrive on gRPC threads and
 * are read by the controller's worker. Thread-safe.
 *
 * <p>NOTE: reports live in memory. A new leader starts empty and fills up as agents reconnect,
 * because every agent reports all of its graphs after each connect.
 */
final class ReportedStatuses {

  private final ConcurrentMap<String, Map<String, ReportedStatus>> byGraph = new ConcurrentHashMap<>();

  /** Stores a report, replacing an older one from the same cluster unless it is newer. */
  void put(String graphUid, ReportedStatus report) {
    byGraph.compute(graphUid, (uid, current) -> {
      Map<String, ReportedStatus> copy = current == null ? new HashMap<>() : new HashMap<>(current);
      ReportedStatus previous = copy.get(report.cluster());
      if (previous == null || previous.status().getGeneration() <= report.status().getGeneration()) {
        copy.put(report.cluster(), report);
      }
      return Map.copyOf(copy);
    });
  }

  /** Returns the reports for the graph by cluster name; empty when none came. */
  Map<String, ReportedStatus> of(String graphUid) {
    return byGraph.getOrDefault(graphUid, Map.of());
  }

  /** Returns what {@code cluster} last reported for one component of the graph. */
  Optional<ComponentStatus> component(String graphUid, String cluster, String component) {
    ReportedStatus report = of(graphUid).get(cluster);
    if (report == null) {
      return Optional.empty();
    }
    return report.status().getComponentsList().stream().filter(c -> c.getName().equals(component)).findFirst();
  }

  /** Drops the cluster's report for the graph, after its slice there was removed. */
  void removeCluster(String graphUid, String cluster) {
    byGraph.computeIfPresent(graphUid, (uid, current) -> {
      Map<String, ReportedStatus> copy = new HashMap<>(current);
      copy.remove(cluster);
      return copy.isEmpty() ? null : Map.copyOf(copy);
    });
  }

  /** Drops every report for the graph, after it was deleted. */
  void forget(String graphUid) {
    byGraph.remove(graphUid);
  }
}
