package com.petuum.rampart.hub.membership;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The {@code Ready} condition of a MemberCluster as the hub last decided it. Immutable.
 *
 * @param status "True" while heartbeats arrive, "Unknown" after they stopped for the grace period
 */
public record ReadyCondition(String status, String reason, String message, Instant lastTransitionTime) {

  public static final String TRUE = "True";
  public static final String UNKNOWN = "Unknown";

  public ReadyCondition {
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
    requireNonNull(lastTransitionTime, "lastTransitionTime");
  }

  public static ReadyCondition heartbeating(Instant since) {
    return new ReadyCondition(TRUE, "AgentHeartbeating", "The agent sends heartbeats.", since);
  }

  public static ReadyCondition silent(Instant since, java.time.Duration grace) {
    return new ReadyCondition(
        UNKNOWN,
        "AgentHeartbeatMissing",
        "No heartbeat from the agent for more than " + grace.toSeconds() + "s.",
        since);
  }

  /**
   * Returns the condition of a member whose agent did not connect within {@code grace} of the
   * start of a leader's term.
   */
  public static ReadyCondition absent(Instant since, java.time.Duration grace) {
    return new ReadyCondition(
        UNKNOWN,
        "AgentHeartbeatMissing",
        "The agent has not connected to the leading hub replica in the " + grace.toSeconds()
            + "s since that replica started leading.",
        since);
  }

  public boolean isTrue() {
    return TRUE.equals(status);
  }
}
