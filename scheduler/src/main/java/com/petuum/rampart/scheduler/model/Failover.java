package com.petuum.rampart.scheduler.model;

/**
 * Failover settings. The scheduler only carries them; the hub acts on them.
 *
 * @param enabled whether the hub may move a graph off a failed cluster
 * @param tolerationSeconds how long a cluster may be unready before the move
 * @param graceful true for {@code Graceful} (keep the old placement until the new one is ready),
 *     false for {@code Immediate}
 */
public record Failover(boolean enabled, long tolerationSeconds, boolean graceful) {

  public static final Failover DISABLED = new Failover(false, 300, true);

  public Failover {
    if (tolerationSeconds < 0) {
      throw new IllegalArgumentException("tolerationSeconds: " + tolerationSeconds + " (expected 0 or more)");
    }
  }
}
