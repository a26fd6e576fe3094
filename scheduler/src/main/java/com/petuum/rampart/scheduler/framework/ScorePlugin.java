package com.petuum.rampart.scheduler.framework;

/**
 * Rates a feasible cluster for a placement unit from 0 (worst) to 100 (best), like a
 * kube-scheduler Score plugin with normalisation built in. Stateless and pure.
 */
public interface ScorePlugin {

  /** Returns the plugin's name, its {@code NAME} constant. */
  String name();

  /** Returns the score of {@code cluster} for {@code unit}, from 0 to 100. */
  int score(PlacementUnit unit, int cluster, CycleState state);

  /** Returns false when the score is the same for every cluster, so it can be skipped. */
  default boolean appliesTo(PlacementUnit unit, CycleState state) {
    return true;
  }
}
