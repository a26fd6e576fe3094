package com.petuum.rampart.scheduler.model;

import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.Objects;

/** {@code count} nodes of a member cluster that each have {@code free} resources left. */
public record NodeShape(ResourceList free, int count) {

  public NodeShape {
    Objects.requireNonNull(free, "free");
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected 1 or more)");
    }
  }
}
