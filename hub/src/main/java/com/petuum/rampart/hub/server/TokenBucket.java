package com.petuum.rampart.hub.server;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * A token bucket: {@code ratePerSecond} tokens are added each second up to {@code burst}, and
 * each message takes one. Thread-safe. Time comes from the injected ticker.
 */
final class TokenBucket {

  private final Ticker ticker;
  private final double ratePerNano;
  private final double burst;

  @GuardedBy("this")
  private double tokens;

  @GuardedBy("this")
  private long lastRefillNanos;

  TokenBucket(Ticker ticker, double ratePerSecond, int burst) {
    this.ticker = ticker;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastRefillNanos = ticker.read();
  }

  /** Takes one token; returns false when the bucket is empty. */
  synchronized boolean tryTake() {
    long now = ticker.read();
    tokens = Math.min(burst, tokens + (now - lastRefillNanos) * ratePerNano);
    lastRefillNanos = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
