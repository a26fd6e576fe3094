package com.petuum.rampart.hub.dispatch;

/** Effect of one acknowledgement from an agent. */
public enum AckOutcome {
  /** It matched the pending delivery, which is now done. */
  ACCEPTED,
  /** It named this cluster's work at another generation, or work already acknowledged. */
  STALE,
  /** It named work that is not assigned to the acknowledging cluster; it changed nothing. */
  FOREIGN
}
