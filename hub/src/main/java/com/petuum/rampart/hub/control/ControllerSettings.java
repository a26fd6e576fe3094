package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Timings of the hub's graph controller. Immutable.
 *
 * @param pollInterval how often graphs, policies and member clusters are listed
 * @param resyncPeriod how often every graph is reconciled even when nothing was seen to change
 * @param deletionWait how long a deleted graph waits for members to confirm the removal before
 *     it is released anyway
 * @param reservationTimeout how long capacity stays reserved for a placement whose pods have not
 *     been reported running
 */
public record ControllerSettings(
    Duration pollInterval, Duration resyncPeriod, Duration deletionWait, Duration reservationTimeout) {

  public ControllerSettings {
    requireNonNull(pollInterval, "pollInterval");
    requireNonNull(resyncPeriod, "resyncPeriod");
    requireNonNull(deletionWait, "deletionWait");
    requireNonNull(reservationTimeout, "reservationTimeout");
    for (Duration d : new Duration[] {pollInterval, resyncPeriod, deletionWait, reservationTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive: " + d);
      }
    }
  }

  public static ControllerSettings defaults() {
    return new ControllerSettings(
        Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5));
  }

  public ControllerSettings withDeletionWait(Duration value) {
    return new ControllerSettings(pollInterval, resyncPeriod, value, reservationTimeout);
  }
}
