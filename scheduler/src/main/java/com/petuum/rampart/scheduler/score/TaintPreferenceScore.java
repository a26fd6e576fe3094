package com.petuum.rampart.scheduler.score;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import java.util.List;

/**
 * Scores 100 less 25 for each {@code PreferNoSchedule} taint some component does not tolerate,
 * floored at 0.
 */
public final class TaintPreferenceScore implements ScorePlugin {

  public static final String NAME = "TaintPreference";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int score(PlacementUnit unit, int cluster, CycleState state) {
    if (!state.inventory().hasPreferNoScheduleTaint(cluster)) {
      return 100;
    }
    int untolerated = 0;
    for (Taint taint : state.inventory().cluster(cluster).taints()) {
      if (taint.effect() == TaintEffect.PREFER_NO_SCHEDULE && !toleratedByAll(unit, taint)) {
        untolerated++;
      }
    }
    return Math.max(0, 100 - 25 * untolerated);
  }

  private static boolean toleratedByAll(PlacementUnit unit, Taint taint) {
    for (List<Toleration> tolerations : unit.tolerationSets()) {
      boolean tolerated = false;
      for (Toleration toleration : tolerations) {
        tolerated |= toleration.tolerates(taint);
      }
      if (!tolerated) {
        return false;
      }
    }
    return true;
  }
}
