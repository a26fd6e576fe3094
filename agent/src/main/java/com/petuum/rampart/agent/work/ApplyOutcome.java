package com.petuum.rampart.agent.work;

/** Outcome of one delivery in the work store. */
public enum ApplyOutcome {
  /** The applier ran: a new slice, a newer generation, or a removal of a held slice. */
  APPLIED,
  /** The store already held exactly this; nothing ran. */
  UNCHANGED,
  /** The store has a newer generation, so nothing ran. */
  STALE
}
