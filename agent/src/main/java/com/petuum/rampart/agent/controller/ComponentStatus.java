package com.petuum.rampart.agent.controller;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * Observed state of one component, written to {@code status.components}.
 * Immutable.
 *
 * @param namespace the component namespace
 * @param phase the component phase
 * @param message why the component is in this phase: Helm's error text, the workloads still
 *     starting, or the components it waits for; empty when deployed
 * @param observedGeneration the graph generation this status describes
 * @param observedAt when the controller observed it
 * @param endpoints Service and Ingress endpoints in the namespace
 */
record ComponentStatus(
    String namespace, ComponentPhase phase, String message, long observedGeneration, Instant observedAt, List<String> endpoints) {

  ComponentStatus {
    requireNonNull(namespace, "namespace");
    requireNonNull(phase, "phase");
    requireNonNull(message, "message");
    requireNonNull(observedAt, "observedAt");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
  }
}
