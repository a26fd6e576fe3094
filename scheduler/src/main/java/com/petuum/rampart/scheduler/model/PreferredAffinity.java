package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/** A soft preference: clusters matching the selector gain {@code weight} (1 to 100). */
public record PreferredAffinity(int weight, LabelSelector labelSelector) {

  public PreferredAffinity {
    Objects.requireNonNull(labelSelector, "labelSelector");
    if (weight < 1 || weight > 100) {
      throw new IllegalArgumentException("weight: " + weight + " (expected 1 to 100)");
    }
  }
}
