package com.petuum.rampart.scheduler.score;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PreferredAffinity;

/** Scores the share of preferred-affinity weight whose selector the cluster matches. */
public final class PreferredAffinityScore implements ScorePlugin {

  public static final String NAME = "PreferredAffinity";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return unit.preferredWeightTotal() > 0;
  }

  @Override
  public int score(PlacementUnit unit, int cluster, CycleState state) {
    if (unit.preferredWeightTotal() == 0) {
      return 0;
    }
    MemberCluster member = state.inventory().cluster(cluster);
    int matched = 0;
    for (PreferredAffinity preference : unit.preferredAffinities()) {
      if (preference.labelSelector().matches(member.labels())) {
        matched += preference.weight();
      }
    }
    return matched * 100 / unit.preferredWeightTotal();
  }
}
