package com.petuum.rampart.agent.connect;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with equal jitter: attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so that agents cut off together do not return together.
 * Immutable; randomness comes from the caller.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("backoff initial: " + initial + " (expected: positive)");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff max: " + max + " (expected: at least the initial delay " + initial + ")");
    }
  }

  /**
   * Returns 1 s doubling up to 15 s. An agent then waits at most 15 s after a restarted hub
   * listens again, which leaves most of a minute for the TLS handshakes of a thousand agents.
   */
  public static Backoff defaults() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15));
  }

  /** Returns the delay before reconnect attempt {@code attempt}, counted from 0. */
  public Duration delay(int attempt, Random random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt: " + attempt + " (expected: 0 or more)");
    }
    long initialMillis = initial.toMillis();
    long ceiling = max.toMillis();
    if (attempt < 62 && initialMillis <= (ceiling >> attempt)) {
      ceiling = initialMillis << attempt;
    }
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half)));
  }
}
