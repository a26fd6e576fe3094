package com.petuum.rampart.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One component's entry in the hub graph's {@code status.components}. Immutable.
 *
 * @param observedGeneration the hub graph generation the phase was observed at; 0 before any
 *     report
 * @param observedAt when the hub learned this phase
 */
record ComponentView(
    String cluster,
    String namespace,
    String phase,
    String message,
    long observedGeneration,
    Instant observedAt,
    List<String> endpoints) {

  static final String PENDING = "Pending";
  static final String DEPLOYED = "Deployed";
  static final String FAILED = "Failed";
  private static final String WAITING_PREFIX = "Waiting for ";
  private static final String WAITING_SUFFIX = " to be deployed.";

  ComponentView {
    requireNonNull(cluster, "cluster");
    requireNonNull(namespace, "namespace");
    requireNonNull(phase, "phase");
    requireNonNull(message, "message");
    requireNonNull(observedAt, "observedAt");
    endpoints = List.copyOf(endpoints);
  }

  /** Returns the message of a component that the hub holds back until its needs are deployed. */
  static String waitingMessage(String needs) {
    return WAITING_PREFIX + needs + WAITING_SUFFIX;
  }

  /**
   * Returns whether a stored {@code status.components} entry is one the hub held back, so its
   * cluster was never sent the component.
   */
  static boolean heldBack(JsonNode stored) {
    String message = stored.path("message").asText();
    return PENDING.equals(stored.path("phase").asText()) && message.startsWith(WAITING_PREFIX)
        && message.endsWith(WAITING_SUFFIX);
  }

  boolean deployedAt(long generation) {
    return DEPLOYED.equals(phase) && observedGeneration == generation;
  }
}
