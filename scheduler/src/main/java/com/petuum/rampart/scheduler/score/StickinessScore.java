package com.petuum.rampart.scheduler.score;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;

/**
 * Scores 100 for the cluster where the unit's components run now, 0 elsewhere. Its weight in the
 * registry outweighs every other score, so a running graph moves only when its current cluster
 * stops being feasible.
 */
public final class StickinessScore implements ScorePlugin {

  public static final String NAME = "Stickiness";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return unit.stickyCluster() >= 0;
  }

  @Override
  public int score(PlacementUnit unit, int cluster, CycleState state) {
    return cluster == unit.stickyCluster() ? 100 : 0;
  }
}
