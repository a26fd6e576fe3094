package com.petuum.rampart.agent.work;

/** What the work store did with a delivery. */
public enum ApplyOutcome {
  /** The applier ran: a new slice, a newer generation, or a removal of a held slice. */
  APPLIED,
  /** The store already held exactly this; nothing ran. */
  UNCHANGED,
  /** The store holds a newer generation; nothing ran. */
  STALE
}
