package com.petuum.rampart.agent.work;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.petuum.rampart.proto.v1.WorkKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.MDC;

/**
 * The slices an agent holds, keyed by graph UID, and the idempotent way to change them.
 * Thread-safe: changes to one key are serialized, so the applier never runs twice at once for a
 * key.
 *
 * <ul>
 *   <li>An upsert runs the applier only for an unknown key, a higher generation, or the same
 *       generation with another hash; a repeat changes nothing.
 *   <li>A removal runs only when the held generation is not newer than the removal's.
 *   <li>{@link #retainOnly} removes every slice the hub no longer lists.
 * </ul>
 *
 * <p>NOTE: held slices live in memory. After an agent restart the store is empty, so the Hello
 * reports nothing and the hub re-sends everything; the applier's own idempotence keeps that safe.
 */
public final class WorkStore {

  private final ConcurrentMap<String, AppliedSlice> slices = new ConcurrentHashMap<>();
  private final SliceApplier applier;

  /** Creates a store; the caller owns the applier. */
  public WorkStore(SliceApplier applier) {
    this.applier = requireNonNull(applier, "applier");
  }

  /** Applies the slice unless it is held already at this or a newer generation. */
  public ApplyOutcome upsert(WorkKey key, long generation, ByteString sliceJson, String sliceHash) {
    ApplyOutcome[] outcome = new ApplyOutcome[1];
    slices.compute(
        key.getGraphUid(),
        (uid, held) -> {
          if (held != null && held.generation() > generation) {
            outcome[0] = ApplyOutcome.STALE;
            return held;
          }
          if (held != null && held.generation() == generation && held.sliceHash().equals(sliceHash)) {
            outcome[0] = ApplyOutcome.UNCHANGED;
            return held;
          }
          // The applier runs inside compute so that a concurrent delivery for the same key waits.
          try (MDC.MDCCloseable graph = graphContext(key)) {
            applier.apply(key, generation, sliceJson);
          }
          outcome[0] = ApplyOutcome.APPLIED;
          return new AppliedSlice(key, generation, sliceHash);
        });
    return outcome[0];
  }

  /** Removes the slice unless the store has a generation newer than the removal. */
  public ApplyOutcome remove(WorkKey key, long generation) {
    ApplyOutcome[] outcome = new ApplyOutcome[1];
    slices.compute(
        key.getGraphUid(),
        (uid, held) -> {
          if (held == null) {
            outcome[0] = ApplyOutcome.UNCHANGED;
            return null;
          }
          if (held.generation() > generation) {
            outcome[0] = ApplyOutcome.STALE;
            return held;
          }
          try (MDC.MDCCloseable graph = graphContext(held.key())) {
            applier.remove(held.key());
          }
          outcome[0] = ApplyOutcome.APPLIED;
          return null;
        });
    return outcome[0];
  }

  /** Removes every held slice whose graph UID is not in the set; returns how many went. */
  public int retainOnly(Set<String> graphUids) {
    int removed = 0;
    for (AppliedSlice slice : held()) {
      if (!graphUids.contains(slice.key().getGraphUid())) {
        if (slices.computeIfPresent(slice.key().getGraphUid(), (uid, held) -> {
              try (MDC.MDCCloseable graph = graphContext(held.key())) {
                applier.remove(held.key());
              }
              return null;
            }) == null) {
          removed++;
        }
      }
    }
    return removed;
  }

  // Every log line the applier writes names the graph, also when the applier logs no name itself.
  private static MDC.MDCCloseable graphContext(WorkKey key) {
    return MDC.putCloseable("graph", key.getGraphNamespace() + "/" + key.getGraphName());
  }

  /** Returns a snapshot of the held slices, for Hello. */
  public List<AppliedSlice> held() {
    return new ArrayList<>(slices.values());
  }
}
