package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.model.MemberCluster;

/** Rejects clusters whose {@code Ready} condition is not {@code True}, and cordoned clusters. */
public final class ClusterReadyFilter implements FilterPlugin {

  public static final String NAME = "ClusterReady";
  public static final String NOT_READY = "were not Ready";
  public static final String CORDONED = "were cordoned (spec.unschedulable)";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    if (state.inventory().schedulable(cluster)) {
      return true;
    }
    MemberCluster member = state.inventory().cluster(cluster);
    boolean fits = true;
    if (!member.ready()) {
      if (!reasons.collecting()) {
        return false;
      }
      reasons.add(Reason.of(NAME, NOT_READY));
      fits = false;
    }
    if (member.unschedulable()) {
      reasons.add(Reason.of(NAME, CORDONED));
      fits = false;
    }
    return fits;
  }
}
