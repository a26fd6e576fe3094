package com.petuum.rampart.scheduler.framework;

import java.util.Objects;

/** A score plugin and the weight its 0-to-100 score gets in the total. */
public record WeightedScore(ScorePlugin plugin, int weight) {

  public WeightedScore {
    Objects.requireNonNull(plugin, "plugin");
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " for " + plugin.name() + " (expected 1 or more)");
    }
  }
}
