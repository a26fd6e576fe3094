package com.petuum.rampart.hub.testing;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.proto.v1.WorkKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how often each slice generation was applied and which slices were removed. Thread-safe. */
public final class CountingApplier implements SliceApplier {

  private final Map<String, AtomicInteger> applies = new ConcurrentHashMap<>();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();

  @Override
  public void apply(WorkKey key, long generation, ByteString sliceJson) {
    applies.computeIfAbsent(key.getGraphUid() + "@" + generation, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void remove(WorkKey key) {
    removed.add(key.getGraphUid());
  }

  /** Returns how many times the slice at this generation was applied. */
  public int applyCount(String graphUid, long generation) {
    AtomicInteger count = applies.get(graphUid + "@" + generation);
    return count == null ? 0 : count.get();
  }

  /** Returns the apply count of every slice generation seen, keyed uid@generation. */
  public Map<String, Integer> applyCounts() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    applies.forEach((key, count) -> counts.put(key, count.get()));
    return counts;
  }

  public Set<String> removed() {
    return Set.copyOf(removed);
  }
}
