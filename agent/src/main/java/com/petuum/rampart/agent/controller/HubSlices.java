package com.petuum.rampart.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The source of truth for graphs that the hub owns on this member (label
 * {@code rampart.petuum.com/owned-by: hub}): the spec the hub last sent and the agent
 * acknowledged. The controller calls it on every reconcile of a hub-owned graph and, when it
 * returns a spec that differs from the stored one, puts that spec back, so a local
 * {@code kubectl edit} does not survive.
 *
 * <p>Implementations must be thread-safe and must not block; the controller's workers call them.
 */
public interface HubSlices {

  /** Never reverts anything: hub-owned graphs are deployed as they are stored. */
  HubSlices NONE = key -> Optional.empty();

  /**
   * Returns the spec the hub last sent for {@code key}, or empty when the agent has none (then
   * the stored graph is deployed as it is).
   */
  Optional<JsonNode> acknowledgedSpec(GraphKey key);
}
