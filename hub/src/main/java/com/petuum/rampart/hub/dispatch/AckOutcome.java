package com.petuum.rampart.hub.dispatch;

/** What an acknowledgement from an agent did. */
public enum AckOutcome {
  /** It matched the pending delivery, which is now done. */
  ACCEPTED,
  /** It named this cluster's work at another generation, or work already acknowledged. */
  STALE,
  /** It named work that is not assigned to the acknowledging cluster; it changed nothing. */
  FOREIGN
}
