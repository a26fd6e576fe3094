package com.petuum.rampart.bench.federation;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.List;

/**
 * Nearest-rank percentiles of a set of durations, in milliseconds. Up to 100 samples, p99 is the
 * maximum, and with 20 samples p90 is the third largest, so small runs state their tails only roughly.
 */
record LatencySummary(int samples, long p50, long p90, long p99, long max) {

  static LatencySummary of(List<Duration> durations) {
    checkArgument(!durations.isEmpty(), "durations: empty (expected: at least one sample)");
    List<Long> millis = durations.stream().map(Duration::toMillis).sorted().toList();
    return new LatencySummary(millis.size(), rank(millis, 50), rank(millis, 90), rank(millis, 99), millis.get(millis.size() - 1));
  }

  /** Returns the smallest sample with at least {@code percent} percent of the samples at or below it. */
  private static long rank(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  String format() {
    return String.format("p50=%d ms p90=%d ms p99=%d ms max=%d ms (%d samples)", p50, p90, p99, max, samples);
  }
}
