package com.petuum.rampart.hub.dispatch;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One graph slice for one cluster at one generation: the RampartGraph v1 JSON the agent applies,
 * and its SHA-256. Immutable.
 */
public record WorkItem(WorkId id, long generation, ByteString sliceJson, String sliceHash) {

  public WorkItem {
    requireNonNull(id, "id");
    requireNonNull(sliceJson, "sliceJson");
    requireNonNull(sliceHash, "sliceHash");
    if (generation < 1) {
      throw new IllegalArgumentException("generation: " + generation + " (expected: 1 or more)");
    }
  }

  /** Creates an item whose hash is computed from the slice. */
  public static WorkItem of(WorkId id, long generation, ByteString sliceJson) {
    return new WorkItem(id, generation, sliceJson, sha256Hex(sliceJson));
  }

  static String sha256Hex(ByteString bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes.asReadOnlyByteBuffer());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform provides SHA-256", e);
    }
  }
}
