package com.petuum.rampart.hub.dispatch;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deliveries one cluster should hold and which of them it has acknowledged. Thread-safe: all
 * state is guarded by this object's monitor, and no method calls out while holding it.
 */
final class ClusterWork {

  /** A delivery and when it was last sent; sentAt is null before the first send. */
  private static final class Entry {
    final Delivery delivery;
    Instant firstSentAt;
    Instant sentAt;
    boolean acknowledged;

    Entry(Delivery delivery) {
      this.delivery = delivery;
    }
  }

  @GuardedBy("this")
  private final Map<String, Entry> entries = new HashMap<>();

  /** Slices the cluster keeps at the version it runs, with nothing to send, by graph UID. */
  @GuardedBy("this")
  private final Map<String, WorkId> retained = new HashMap<>();

  synchronized void put(Delivery delivery) {
    retained.remove(delivery.id().graphUid());
    Entry current = entries.get(delivery.id().graphUid());
    if (current != null && current.delivery.generation() > delivery.generation()) {
      // A newer generation is already owed; an older one arriving late must not replace it.
      return;
    }
    entries.put(delivery.id().graphUid(), new Entry(delivery));
  }

  /**
   * Records an acknowledgement; on ACCEPTED, {@code sentAt} receives when the delivery was first
   * sent (or null when it never was on this stream's hub).
   */
  synchronized AckOutcome acknowledge(String graphUid, long generation, Instant[] sentAt) {
    Entry entry = entries.get(graphUid);
    if (entry == null) {
      return AckOutcome.FOREIGN;
    }
    if (entry.delivery.generation() != generation || entry.acknowledged) {
      return AckOutcome.STALE;
    }
    sentAt[0] = entry.firstSentAt;
    if (entry.delivery instanceof Delivery.Removal) {
      entries.remove(graphUid);
    } else {
      entry.acknowledged = true;
    }
    return AckOutcome.ACCEPTED;
  }

  /**
   * Adds the slice the cluster runs now to its desired set without sending anything, unless a
   * delivery for the graph is already owed or known.
   */
  synchronized void retain(WorkId id) {
    if (!entries.containsKey(id.graphUid())) {
      retained.put(id.graphUid(), id);
    }
  }

  synchronized boolean owns(String graphUid) {
    return entries.containsKey(graphUid) || retained.containsKey(graphUid);
  }

  /**
   * Returns the deliveries that were never sent or were sent longer than {@code resendAfter} ago
   * without an acknowledgement, and records them as sent now.
   */
  synchronized List<Delivery> takeDue(Instant now, Duration resendAfter) {
    List<Delivery> due = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.acknowledged) {
        continue;
      }
      if (entry.sentAt == null || !now.isBefore(entry.sentAt.plus(resendAfter))) {
        entry.sentAt = now;
        if (entry.firstSentAt == null) {
          entry.firstSentAt = now;
        }
        due.add(entry.delivery);
      }
    }
    return due;
  }

  /**
   * Starts a new stream: clears every send time, so everything unacknowledged goes out
   * again, and counts as acknowledged every upsert the agent reports holding at the same
   * generation and hash.
   */
  synchronized void reconnected(Map<String, HeldSlice> held) {
    for (Entry entry : entries.values()) {
      entry.sentAt = null;
      if (entry.delivery instanceof Delivery.Upsert upsert) {
        HeldSlice slice = held.get(upsert.id().graphUid());
        entry.acknowledged =
            slice != null
                && slice.generation() == upsert.generation()
                && slice.sliceHash().equals(upsert.item().sliceHash());
      }
    }
  }

  /** Returns the ids of all slices the cluster should hold, for SyncComplete. */
  synchronized List<WorkId> desiredIds() {
    List<WorkId> ids = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.delivery instanceof Delivery.Upsert) {
        ids.add(entry.delivery.id());
      }
    }
    ids.addAll(retained.values());
    return ids;
  }

  synchronized int unacknowledgedCount() {
    int count = 0;
    for (Entry entry : entries.values()) {
      if (!entry.acknowledged) {
        count++;
      }
    }
    return count;
  }

  synchronized Set<String> graphUids() {
    Set<String> uids = new HashSet<>(entries.keySet());
    uids.addAll(retained.keySet());
    return Set.copyOf(uids);
  }
}
