package com.petuum.rampart.scheduler.score;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;

/**
 * Scores closeness to the already assigned units this one exchanges flows with: 100 per
 * neighbour on the same cluster, 50 in the same region ({@code topology.rampart.petuum.com/region}),
 * 0 elsewhere, averaged over assigned neighbours.
 */
public final class LocalityScore implements ScorePlugin {

  public static final String NAME = "Locality";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return unit.neighbourCount() > 0;
  }

  @Override
  public int score(PlacementUnit unit, int cluster, CycleState state) {
    int total = 0;
    int assigned = 0;
    int region = state.region(cluster);
    for (int i = 0; i < unit.neighbourCount(); i++) {
      int other = state.assignment(unit.neighbour(i));
      if (other < 0) {
        continue;
      }
      assigned++;
      if (other == cluster) {
        total += 100;
      } else if (region >= 0 && state.region(other) == region) {
        total += 50;
      }
    }
    return assigned == 0 ? 0 : total / assigned;
  }
}
