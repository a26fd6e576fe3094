package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The scheduler's result for one graph. Immutable; built only through the named factories.
 *
 * <p>A decision places every component or none: {@link #placements()} is empty unless the status
 * is {@link Status#PLACED}.
 */
public record Decision(
    GraphKey graph,
    Status status,
    SortedMap<String, ClusterName> placements,
    List<GroupOutcome> groups,
    SortedMap<ClusterName, ResourceList> reservations,
    String summary,
    String placementSource,
    long ledgerVersion,
    int searchSteps) {

  /** Outcome of a scheduling attempt. */
  public enum Status {
    /** Every component has a cluster. */
    PLACED,
    /** No placement exists against this inventory and ledger, and the groups record why. */
    UNSCHEDULABLE,
    /** The search budget ran out first; a placement may still exist. */
    SEARCH_EXHAUSTED,
    /** The graph cannot be scheduled as written, such as a policyRef to a missing policy. */
    INVALID
  }

  public Decision {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    placements = Collections.unmodifiableSortedMap(new TreeMap<>(placements));
    groups = List.copyOf(groups);
    reservations = Collections.unmodifiableSortedMap(new TreeMap<>(reservations));
    if (status != Status.PLACED && !placements.isEmpty()) {
      throw new IllegalArgumentException("placements: " + placements + " given with status " + status + " (expected none unless PLACED)");
    }
  }

  public static Decision placed(
      GraphKey graph,
      SortedMap<String, ClusterName> placements,
      List<GroupOutcome> groups,
      SortedMap<ClusterName, ResourceList> reservations,
      String summary,
      String source,
      long ledgerVersion,
      int steps) {
    return new Decision(graph, Status.PLACED, placements, groups, reservations, summary, source, ledgerVersion, steps);
  }

  public static Decision notPlaced(
      GraphKey graph, Status status, List<GroupOutcome> groups, String summary, String source, long ledgerVersion, int steps) {
    if (status == Status.PLACED) {
      throw new IllegalArgumentException("status: PLACED (expected UNSCHEDULABLE, SEARCH_EXHAUSTED or INVALID)");
    }
    return new Decision(graph, status, new TreeMap<>(), groups, new TreeMap<>(), summary, source, ledgerVersion, steps);
  }

  public static Decision invalid(GraphKey graph, String message) {
    return notPlaced(graph, Status.INVALID, List.of(), message, "", 0, 0);
  }

  public boolean schedulable() {
    return status == Status.PLACED;
  }
}
