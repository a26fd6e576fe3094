package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/** Name of a member cluster, the name of its MemberCluster object. */
public record ClusterName(String value) implements Comparable<ClusterName> {

  public ClusterName {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("cluster name: empty (expected the MemberCluster's metadata.name)");
    }
  }

  public static ClusterName of(String value) {
    return new ClusterName(value);
  }

  @Override
  public int compareTo(ClusterName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
