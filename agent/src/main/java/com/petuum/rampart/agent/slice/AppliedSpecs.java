package com.petuum.rampart.agent.slice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.agent.controller.GraphKey;
import com.petuum.rampart.agent.controller.HubSlices;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The spec of every hub-owned local graph as the agent last wrote it, keyed by the local graph's
 * namespace and name. The local graph controller puts this spec back when someone edits the
 * local graph. Thread-safe and non-blocking.
 *
 * <p>The spec is the one the member apiserver returned from the write, so it already contains
 * the defaults the CRD schema adds. Comparing it with a later read therefore finds only real
 * edits, not defaulting.
 *
 * <p>NOTE: the specs live in memory. After an agent restart nothing is reverted until the hub
 * sends the slice again, which it does for every slice the restarted agent's Hello does not list.
 */
public final class AppliedSpecs implements HubSlices {

  private final ConcurrentMap<GraphKey, JsonNode> specs = new ConcurrentHashMap<>();

  /** Records {@code spec} as the applied spec of {@code key}, replacing an earlier one. */
  void put(GraphKey key, JsonNode spec) {
    specs.put(requireNonNull(key, "key"), requireNonNull(spec, "spec").deepCopy());
  }

  /** Forgets the applied spec of {@code key}, after the local graph was deleted. */
  void remove(GraphKey key) {
    specs.remove(requireNonNull(key, "key"));
  }

  @Override
  public Optional<JsonNode> acknowledgedSpec(GraphKey key) {
    JsonNode spec = specs.get(key);
    // A copy, so that a caller that changes the tree cannot change what later reverts put back.
    return spec == null ? Optional.empty() : Optional.of(spec.deepCopy());
  }
}
