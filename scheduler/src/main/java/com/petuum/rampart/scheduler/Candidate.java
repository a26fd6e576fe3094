package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.model.ClusterName;
import java.util.List;
import java.util.Objects;

/**
 * One row of an explanation: how a cluster fared for a group.
 *
 * @param reasons why it was rejected, each with this cluster's numbers; empty when feasible
 * @param score 0 to 100 when feasible, 0 otherwise
 */
public record Candidate(ClusterName cluster, boolean feasible, List<String> reasons, int score) {

  public Candidate {
    Objects.requireNonNull(cluster, "cluster");
    reasons = List.copyOf(reasons);
  }
}
