package com.petuum.rampart.agent.work;

import com.petuum.rampart.proto.v1.WorkKey;
import com.google.protobuf.ByteString;

/**
 * Writes graph slices into the member cluster, as local RampartGraph objects owned by the hub.
 * The work store calls it only for a real change, at most once per key, generation and hash, and
 * one call at a time per key. Implementations must still be idempotent, because an agent restart
 * can repeat the last call.
 */
public interface SliceApplier {

  /** Applies the slice at this generation. */
  void apply(WorkKey key, long generation, ByteString sliceJson);

  /** Removes the slice and everything it deployed. */
  void remove(WorkKey key);
}
