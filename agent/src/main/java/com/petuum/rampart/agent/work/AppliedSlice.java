package com.petuum.rampart.agent.work;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.v1.WorkKey;

/** A slice the agent has applied: key, generation and the SHA-256 of its JSON. Immutable. */
public record AppliedSlice(WorkKey key, long generation, String sliceHash) {

  public AppliedSlice {
    requireNonNull(key, "key");
    requireNonNull(sliceHash, "sliceHash");
  }
}
