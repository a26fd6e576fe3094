package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.v1.WorkStatus;
import java.time.Instant;

/**
 * The last status one member cluster reported for its slice of a graph, and when it arrived.
 * Immutable.
 *
 * @param graphGeneration the hub graph's generation that the reported slice belongs to
 */
record ReportedStatus(String cluster, WorkStatus status, long graphGeneration, Instant receivedAt) {

  ReportedStatus {
    requireNonNull(cluster, "cluster");
    requireNonNull(status, "status");
    requireNonNull(receivedAt, "receivedAt");
  }
}
