package com.petuum.rampart.hub.leader;

/**
 * A fencing epoch: increases each time a hub replica becomes leader. Every message to agents
 * carries it, and agents ignore messages with an epoch lower than the highest they have seen.
 * Immutable.
 */
public record Epoch(long value) implements Comparable<Epoch> {

  public Epoch {
    if (value < 0) {
      throw new IllegalArgumentException("epoch: " + value + " (expected: 0 or more)");
    }
  }

  public boolean isOlderThan(Epoch other) {
    return value < other.value;
  }

  @Override
  public int compareTo(Epoch other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
