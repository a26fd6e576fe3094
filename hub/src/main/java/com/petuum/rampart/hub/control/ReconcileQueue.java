package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.scheduler.model.GraphKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Graph keys waiting for the controller, each with the instant it is due. A key is held once:
 * adding it again keeps the earlier due time. Failed keys come back after a delay that doubles
 * per failure, from {@code baseDelay} up to {@code maxDelay}, until {@link #forget} resets it.
 *
 * <p>Thread-safe. Any thread may add keys; one consumer takes them with {@link #takeDue} and waits
 * with {@link #awaitWork}, which returns early when a key is added.
 */
final class ReconcileQueue {

  private final Clock clock;
  private final Duration baseDelay;
  private final Duration maxDelay;

  @GuardedBy("this")
  private final Map<GraphKey, Instant> due = new HashMap<>();
  @GuardedBy("this")
  private final Map<GraphKey, Integer> failures = new HashMap<>();

  ReconcileQueue(Clock clock, Duration baseDelay, Duration maxDelay) {
    this.clock = requireNonNull(clock, "clock");
    this.baseDelay = requireNonNull(baseDelay, "baseDelay");
    this.maxDelay = requireNonNull(maxDelay, "maxDelay");
  }

  /** Makes the key due now. */
  synchronized void add(GraphKey key) {
    due.put(key, clock.instant());
    notifyAll();
  }

  /** Makes the key due after {@code delay}, unless it is due earlier already. */
  synchronized void addAfter(GraphKey key, Duration delay) {
    Instant at = clock.instant().plus(delay);
    Instant current = due.get(key);
    if (current == null || at.isBefore(current)) {
      due.put(key, at);
      notifyAll();
    }
  }

  /** Records a failure and makes the key due after its backoff; returns the delay. */
  synchronized Duration addRateLimited(GraphKey key) {
    int count = failures.merge(key, 1, Integer::sum);
    long factor = 1L << Math.min(count - 1, 20);
    Duration delay = baseDelay.multipliedBy(factor);
    if (delay.compareTo(maxDelay) > 0) {
      delay = maxDelay;
    }
    addAfter(key, delay);
    return delay;
  }

  /** Resets the key's failure count after a reconcile that succeeded. */
  synchronized void forget(GraphKey key) {
    failures.remove(key);
  }

  /** Removes and returns every key that is due now. */
  synchronized List<GraphKey> takeDue() {
    Instant now = clock.instant();
    List<GraphKey> ready = new ArrayList<>();
    due.entrySet().removeIf(entry -> {
      if (!entry.getValue().isAfter(now)) {
        ready.add(entry.getKey());
        return true;
      }
      return false;
    });
    return ready;
  }

  /** Waits until a key is due or {@code max} passed, whichever comes first. */
  synchronized void awaitWork(Duration max) throws InterruptedException {
    Instant limit = clock.instant().plus(max);
    Instant next = limit;
    for (Instant at : due.values()) {
      if (at.isBefore(next)) {
        next = at;
      }
    }
    long millis = Duration.between(clock.instant(), next).toMillis();
    if (millis > 0) {
      wait(millis);
    }
  }

  synchronized int size() {
    return due.size();
  }
}
