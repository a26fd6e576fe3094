package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/** A MemberCluster taint; prints as {@code key=value:Effect} like kubectl. */
public record Taint(String key, String value, TaintEffect effect) {

  public Taint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(effect, "effect");
    value = value == null ? "" : value;
  }

  @Override
  public String toString() {
    return (value.isEmpty() ? key : key + "=" + value) + ":" + effect.apiName();
  }
}
