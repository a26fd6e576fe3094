package com.petuum.rampart.scheduler.assign;

import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;

/**
 * A unit with what does not change during the search precomputed: which clusters pass the
 * filters that ignore capacity, and which score plugins apply. Immutable once built.
 *
 * @param staticFeasible per cluster index, whether every capacity-independent filter passes;
 *     shared between units with the same constraints, so never written
 */
public record PreparedUnit(
    PlacementUnit unit, boolean[] staticFeasible, ScorePlugin[] scores, int[] weights, int weightTotal, double size) {}
