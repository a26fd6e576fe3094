package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.MemberCluster;

/** Rejects clusters that fail any required cluster affinity (names and label selectors). */
public final class ClusterAffinityFilter implements FilterPlugin {

  public static final String NAME = "ClusterAffinity";
  /** Followed by the affinity, such as {@code labels gpu=a100}. */
  public static final String AFFINITY_MISMATCH = "did not match cluster affinity %s";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return !unit.requiredAffinities().isEmpty();
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    MemberCluster member = state.inventory().cluster(cluster);
    boolean fits = true;
    for (ClusterAffinity affinity : unit.requiredAffinities()) {
      if (affinity.matches(member.name().value(), member.labels())) {
        continue;
      }
      if (!reasons.collecting()) {
        return false;
      }
      reasons.add(Reason.of(NAME, String.format(AFFINITY_MISMATCH, affinity)));
      fits = false;
    }
    return fits;
  }
}
