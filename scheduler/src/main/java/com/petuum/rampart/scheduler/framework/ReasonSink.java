package com.petuum.rampart.scheduler.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * Receives the reasons a filter rejects a cluster.
 *
 * <p>On the hot path the scheduler passes {@link #DISCARD}: a filter then returns at its first
 * failed constraint and builds no reason. When explaining, it passes a collecting sink and a
 * filter reports every failed constraint. Not thread-safe; one per scheduling cycle.
 */
public interface ReasonSink {

  /** A sink that keeps nothing, for feasibility checks. */
  ReasonSink DISCARD =
      new ReasonSink() {
        @Override
        public boolean collecting() {
          return false;
        }

        @Override
        public void add(Reason reason) {}
      };

  /** Returns whether reasons are wanted; when false a filter may stop at the first failure. */
  boolean collecting();

  void add(Reason reason);

  /** Returns a sink that keeps every reason in order. */
  static Collecting collect() {
    return new Collecting();
  }

  /** A sink that keeps every reason in the order added. */
  final class Collecting implements ReasonSink {
    private final List<Reason> reasons = new ArrayList<>();

    @Override
    public boolean collecting() {
      return true;
    }

    @Override
    public void add(Reason reason) {
      reasons.add(reason);
    }

    public List<Reason> reasons() {
      return List.copyOf(reasons);
    }

    public void clear() {
      reasons.clear();
    }
  }
}
