package com.petuum.rampart.scheduler.assign;

import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ScorePlugin;

/**
 * A unit with what does not change during the search precomputed: which clusters pass the
 * filters that ignore capacity, and which score plugins apply. Immutable once built.
 *
 * @param feasible per cluster index, whether the cluster may take the unit: every
 *     capacity-independent filter passes and, once {@link Evaluator#narrowToCapacity narrowed},
 *     the capacity filters passed when the search started; may be shared, so never written
 */
public record PreparedUnit(
    PlacementUnit unit, boolean[] feasible, ScorePlugin[] scores, int[] weights, int weightTotal, double size) {}
