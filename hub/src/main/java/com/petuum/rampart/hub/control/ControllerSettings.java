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
 * @param failoverSettle how long a new leader waits after its term starts before any cluster's
 *     failover toleration may end: agents need that long to reconnect and send heartbeats, so
 *     silence before then proves nothing. Zero or more; the default is the heartbeat grace.
 */
public record ControllerSettings(
    Duration pollInterval, Duration resyncPeriod, Duration deletionWait, Duration reservationTimeout,
    Duration failoverSettle) {

  public ControllerSettings {
    requireNonNull(pollInterval, "pollInterval");
    requireNonNull(resyncPeriod, "resyncPeriod");
    requireNonNull(deletionWait, "deletionWait");
    requireNonNull(reservationTimeout, "reservationTimeout");
    requireNonNull(failoverSettle, "failoverSettle");
    if (failoverSettle.isNegative()) {
      throw new IllegalArgumentException("failoverSettle: " + failoverSettle + " (expected: zero or more)");
    }
    for (Duration d : new Duration[] {pollInterval, resyncPeriod, deletionWait, reservationTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive: " + d);
      }
    }
  }

  public static ControllerSettings defaults() {
    return new ControllerSettings(
        Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5),
        Duration.ofSeconds(40));
  }

  public ControllerSettings withDeletionWait(Duration value) {
    return new ControllerSettings(pollInterval, resyncPeriod, value, reservationTimeout, failoverSettle);
  }

  public ControllerSettings withFailoverSettle(Duration value) {
    return new ControllerSettings(pollInterval, resyncPeriod, deletionWait, reservationTimeout, value);
  }
}
