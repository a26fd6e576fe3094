package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/** Names a PlacementPolicy in the graph's namespace. */
public record PolicyRef(String name) {

  public PolicyRef {
    Objects.requireNonNull(name, "name");
  }
}
