package com.petuum.rampart.bench.federation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measurements of one graph copy.
 *
 * @param graph the copy's name
 * @param applyToRunning from the create call on the hub to the poll that saw every component's
 *     pods Running on its member
 * @param clusters the member cluster of each component, from the hub graph's status
 * @param decisionToApplied per member cluster that hosts a component: from the hub's
 *     {@code status.placement.decidedAt} to the member's {@code slice-applied-at} annotation;
 *     empty for a member whose local graph has no such annotation
 */
record GraphTiming(
    String graph, Duration applyToRunning, Map<String, String> clusters, Map<String, Optional<Duration>> decisionToApplied) {

  GraphTiming {
    clusters = Map.copyOf(clusters);
    decisionToApplied = Map.copyOf(decisionToApplied);
  }

  /** Returns the decision-to-applied durations that were measured, one per member slice. */
  List<Duration> measuredSlices() {
    return decisionToApplied.values().stream().flatMap(Optional::stream).toList();
  }
}
