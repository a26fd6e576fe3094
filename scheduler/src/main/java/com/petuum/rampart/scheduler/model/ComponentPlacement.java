package com.petuum.rampart.scheduler.model;

import java.util.List;

/** Per-component placement constraints from {@code spec.graph.components.<name>.placement}. */
public record ComponentPlacement(
    ClusterAffinity clusterAffinity, List<PreferredAffinity> preferredAffinities, List<Toleration> tolerations) {

  public static final ComponentPlacement NONE = new ComponentPlacement(null, List.of(), List.of());

  public ComponentPlacement {
    preferredAffinities = List.copyOf(preferredAffinities == null ? List.of() : preferredAffinities);
    tolerations = List.copyOf(tolerations == null ? List.of() : tolerations);
  }
}
