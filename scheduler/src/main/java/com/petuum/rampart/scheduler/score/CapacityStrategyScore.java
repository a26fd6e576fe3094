package com.petuum.rampart.scheduler.score;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import com.petuum.rampart.scheduler.model.Strategy;

/**
 * Scores capacity by the graph's strategy. {@code BinPack} gives the cluster's utilisation after
 * placing the unit, averaged over the resources the unit requests (CPU and memory when it
 * requests nothing), so full clusters fill first; {@code Spread} gives 100 minus that.
 */
public final class CapacityStrategyScore implements ScorePlugin {

  public static final String NAME = "CapacityStrategy";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int score(PlacementUnit unit, int cluster, CycleState state) {
    long sumPercent = 0;
    int counted = 0;
    int inventoryResources = state.layout().inventoryCount();
    for (int r = 0; r < inventoryResources; r++) {
      long demand = unit.total(r);
      if (demand == 0) {
        continue;
      }
      sumPercent += utilisationPercent(state, cluster, r, demand);
      counted++;
    }
    if (counted == 0) {
      for (String name : new String[] {"cpu", "memory"}) {
        int r = state.inventory().resourceIndex(name);
        if (r >= 0) {
          sumPercent += utilisationPercent(state, cluster, r, 0);
          counted++;
        }
      }
    }
    int utilisation = counted == 0 ? 0 : (int) (sumPercent / counted);
    return state.strategy() == Strategy.BIN_PACK ? utilisation : 100 - utilisation;
  }

  private static long utilisationPercent(CycleState state, int cluster, int r, long demand) {
    long allocatable = state.inventory().allocatable(cluster, r);
    if (allocatable <= 0) {
      return 100;
    }
    long freeAfter = Math.max(0, state.free(cluster, r) - demand);
    long used = Math.max(0, allocatable - freeAfter);
    return Math.min(100, used * 100 / allocatable);
  }
}
