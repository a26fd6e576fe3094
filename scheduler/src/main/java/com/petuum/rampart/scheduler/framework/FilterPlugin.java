package com.petuum.rampart.scheduler.framework;

/**
 * Decides whether a cluster can host a placement unit, like a kube-scheduler Filter plugin.
 *
 * <p>Implementations are stateless and pure: no I/O, clock or randomness, so the same unit,
 * cluster and state always give the same verdict. A failure of the plugin itself is an
 * exception, never a rejection.
 */
public interface FilterPlugin {

  /** Returns the plugin's name, its {@code NAME} constant. */
  String name();

  /**
   * Returns whether {@code cluster} passes for {@code unit}. For each failed constraint adds one
   * {@link Reason} to {@code reasons} when it is collecting; when it is not, may return at the
   * first failure and must not build reasons.
   */
  boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons);

  /**
   * Returns whether the verdict depends on capacity taken by other units of the same graph. Such
   * filters run when the search starts and again at a step only for clusters that units of the
   * graph were assigned to, so a verdict must change only through assignments to that cluster.
   * The others run once per unit and are cached.
   */
  default boolean dependsOnCapacity() {
    return false;
  }

  /** Returns false when this plugin passes every cluster for {@code unit}, so it can be skipped. */
  default boolean appliesTo(PlacementUnit unit, CycleState state) {
    return true;
  }
}
