package com.petuum.rampart.bench.comparison;

import com.petuum.rampart.scheduler.model.MemberCluster;
import java.util.List;

/** The capacity information our scheduler gets for each cluster. */
enum CapacityModel {

  /**
   * Only the cluster's aggregate available capacity, which is what Karmada's general estimator
   * uses. The free node shapes are dropped, so the scheduler treats the whole available capacity
   * as one node. This is the like-for-like row.
   */
  AGGREGATE("aggregate"),

  /** Everything in the inventory file, including free node shapes for per-node fit. */
  FULL("full");

  private final String flagValue;

  CapacityModel(String flagValue) {
    this.flagValue = flagValue;
  }

  String flagValue() {
    return flagValue;
  }

  static CapacityModel fromFlag(String value) {
    for (CapacityModel model : values()) {
      if (model.flagValue.equals(value)) {
        return model;
      }
    }
    throw new IllegalArgumentException("--model " + value + " is not a capacity model (expected aggregate or full)");
  }

  MemberCluster apply(MemberCluster cluster) {
    if (this == FULL) {
      return cluster;
    }
    return cluster.withCapacity(cluster.allocatable(), cluster.available(), List.of());
  }
}
