package com.petuum.rampart.scheduler.model;

import java.util.List;

/**
 * Placement fields shared by {@code RampartGraph.spec.placement} and {@code PlacementPolicy.spec}.
 * A null field or empty list means "not set", so that inline fields can be merged on top of a
 * referenced policy.
 */
public record PlacementSpec(
    ClusterAffinity clusterAffinity,
    List<PreferredAffinity> preferredAffinities,
    List<Toleration> tolerations,
    SpreadConstraint spread,
    List<ComponentRule> componentRules,
    Strategy strategy,
    Failover failover) {

  public static final PlacementSpec EMPTY = new PlacementSpec(null, List.of(), List.of(), null, List.of(), null, null);

  public PlacementSpec {
    preferredAffinities = List.copyOf(preferredAffinities == null ? List.of() : preferredAffinities);
    tolerations = List.copyOf(tolerations == null ? List.of() : tolerations);
    componentRules = List.copyOf(componentRules == null ? List.of() : componentRules);
  }

  /** Returns these fields with every unset one taken from {@code base}. */
  public PlacementSpec over(PlacementSpec base) {
    return new PlacementSpec(
        clusterAffinity != null ? clusterAffinity : base.clusterAffinity,
        !preferredAffinities.isEmpty() ? preferredAffinities : base.preferredAffinities,
        !tolerations.isEmpty() ? tolerations : base.tolerations,
        spread != null ? spread : base.spread,
        !componentRules.isEmpty() ? componentRules : base.componentRules,
        strategy != null ? strategy : base.strategy,
        failover != null ? failover : base.failover);
  }

  public Strategy strategyOrDefault() {
    return strategy == null ? Strategy.BIN_PACK : strategy;
  }
}
