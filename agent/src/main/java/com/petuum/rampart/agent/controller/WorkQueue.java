package com.petuum.rampart.agent.controller;

import com.google.common.annotations.VisibleForTesting;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A queue of graph keys in the style of client-go's rate-limited work queue.
 *
 * <ul>
 *   <li>A key is queued at most once; adding a queued key does nothing.
 *   <li>A key is handed to one worker at a time. Adding it while a worker holds it marks it dirty,
 *       and {@link #done} queues it again, so no change is lost and no graph is reconciled twice at
 *       once.
 *   <li>{@link #addRateLimited} delays a key by {@code base * 2^failures}, at most {@code max};
 *       {@link #forget} resets its failure count after a success.
 * </ul>
 *
 * <p>Thread-safe. Delayed adds run on the scheduler passed in, which the caller owns and shuts down.
 */
final class WorkQueue {

  private final Object lock = new Object();
  private final ScheduledExecutorService scheduler;
  private final Duration baseDelay;
  private final Duration maxDelay;

  @GuardedBy("lock")
  private final ArrayDeque<GraphKey> queue = new ArrayDeque<>();
  @GuardedBy("lock")
  private final Set<GraphKey> queued = new HashSet<>();
  @GuardedBy("lock")
  private final Set<GraphKey> processing = new HashSet<>();
  @GuardedBy("lock")
  private final Set<GraphKey> dirty = new HashSet<>();
  @GuardedBy("lock")
  private final Map<GraphKey, Integer> failures = new HashMap<>();
  @GuardedBy("lock")
  private boolean shutDown;

  WorkQueue(ScheduledExecutorService scheduler, Duration baseDelay, Duration maxDelay) {
    this.scheduler = scheduler;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  /** Queues {@code key} unless it is queued already. */
  void add(GraphKey key) {
    synchronized (lock) {
      if (shutDown) {
        return;
      }
      if (processing.contains(key)) {
        dirty.add(key);
        return;
      }
      if (queued.add(key)) {
        queue.addLast(key);
        lock.notifyAll();
      }
    }
  }

  /** Queues {@code key} after {@code delay}. */
  void addAfter(GraphKey key, Duration delay) {
    synchronized (lock) {
      if (shutDown) {
        return;
      }
    }
    try {
      scheduler.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The scheduler stops together with the queue; a key added during shutdown is dropped.
    }
  }

  /** Queues {@code key} after its backoff and counts one more failure for it. */
  Duration addRateLimited(GraphKey key) {
    Duration delay;
    synchronized (lock) {
      int count = failures.merge(key, 1, Integer::sum);
      delay = backoff(count);
    }
    addAfter(key, delay);
    return delay;
  }

  /** Resets the failure count of {@code key}. */
  void forget(GraphKey key) {
    synchronized (lock) {
      failures.remove(key);
    }
  }

  /**
   * Blocks until a key is available and hands it to the caller, who must call {@link #done}.
   *
   * @return empty once the queue is shut down
   */
  Optional<GraphKey> take() throws InterruptedException {
    synchronized (lock) {
      while (queue.isEmpty() && !shutDown) {
        lock.wait();
      }
      if (shutDown) {
        return Optional.empty();
      }
      GraphKey key = queue.removeFirst();
      queued.remove(key);
      processing.add(key);
      return Optional.of(key);
    }
  }

  /** Releases {@code key}; queues it again when it was added while being processed. */
  void done(GraphKey key) {
    synchronized (lock) {
      processing.remove(key);
      if (dirty.remove(key) && !shutDown && queued.add(key)) {
        queue.addLast(key);
        lock.notifyAll();
      }
    }
  }

  /** Wakes every waiting worker; {@link #take} returns empty from now on. */
  void shutDown() {
    synchronized (lock) {
      shutDown = true;
      lock.notifyAll();
    }
  }

  @VisibleForTesting
  Duration backoff(int failureCount) {
    int exponent = Math.min(failureCount - 1, 30);
    long millis = baseDelay.toMillis() * (1L << exponent);
    return millis >= maxDelay.toMillis() || millis < 0 ? maxDelay : Duration.ofMillis(millis);
  }
}
