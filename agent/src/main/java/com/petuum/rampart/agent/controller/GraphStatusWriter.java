package com.petuum.rampart.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.common.status.Conditions;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a graph's status subresource: the phase, {@code observedGeneration}, the {@code Validated}
 * and {@code Ready} conditions, and one entry per component. Components no longer in the graph are
 * removed from {@code status.components}. A condition keeps its {@code lastTransitionTime} while
 * its status stays the same. Thread-safe.
 */
final class GraphStatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GraphApi graphs;
  private final Clock clock;

  GraphStatusWriter(GraphApi graphs, Clock clock) {
    this.graphs = graphs;
    this.clock = clock;
  }

  ComponentStatus component(String namespace, ComponentPhase phase, String message, long generation, List<String> endpoints) {
    return new ComponentStatus(namespace, phase, message, generation, clock.instant(), endpoints);
  }

  void writeInvalid(GraphKey key, ObjectNode graph, String errors) throws ApiException {
    ObjectNode status = base(graph, "Failed");
    status.put("reason", "GraphValidationError");
    status.put("messages", errors);
    conditions(status, graph,
        condition(graph, "Validated", false, "Invalid", errors),
        condition(graph, "Ready", false, "Invalid", "the graph is invalid; see the Validated condition"));
    graphs.mergeStatus(key, status);
  }

  void writeUndeployed(GraphKey key, ObjectNode graph, boolean finished) throws ApiException {
    ObjectNode status = base(graph, finished ? "Undeployed" : "Undeploying");
    status.putNull("reason");
    status.putNull("messages");
    removeAllComponents(status, graph);
    conditions(status, graph,
        condition(graph, "Validated", true, "Valid", ""),
        condition(graph, "Ready", false, "Undeployed", "spec.deploy is false"));
    graphs.mergeStatus(key, status);
  }

  void writePhase(GraphKey key, ObjectNode graph, String phase) throws ApiException {
    ObjectNode status = JSON.createObjectNode();
    status.put("phase", phase);
    graphs.mergeStatus(key, status);
  }

  void writeDeployed(GraphKey key, ObjectNode graph, Map<String, ComponentStatus> components) throws ApiException {
    long failed = components.values().stream().filter(c -> c.phase() == ComponentPhase.FAILED).count();
    long deployed = components.values().stream().filter(c -> c.phase() == ComponentPhase.DEPLOYED).count();
    String phase = failed > 0 ? (deployed > 0 ? "DeployedWithErrors" : "Failed")
        : deployed == components.size() ? "Deployed" : "Deploying";
    ObjectNode status = base(graph, phase);
    if (failed > 0) {
      status.put("reason", "GraphDeploymentError");
      StringBuilder messages = new StringBuilder("errors occurred during deployment");
      components.forEach((name, c) -> {
        if (c.phase() == ComponentPhase.FAILED) {
          messages.append('\n').append(name).append(": ").append(c.message());
        }
      });
      status.put("messages", messages.toString());
    } else {
      status.putNull("reason");
      status.putNull("messages");
    }

    removeAllComponents(status, graph);
    ObjectNode entries = (ObjectNode) status.get("components");
    components.forEach((name, c) -> {
      ObjectNode entry = entries.putObject(name);
      entry.put("namespace", c.namespace());
      entry.put("phase", c.phase().apiName());
      entry.put("message", c.message());
      entry.put("observedGeneration", c.observedGeneration());
      entry.put("observedAt", observedAt(graph, name, entry, c));
      ArrayNode endpoints = entry.putArray("endpoints");
      c.endpoints().forEach(endpoints::add);
    });
    status.putObject("summary").put("ready", deployed + "/" + components.size());

    String readyMessage = deployed == components.size() ? "" : (components.size() - deployed) + " of "
        + components.size() + " components are not deployed";
    conditions(status, graph,
        condition(graph, "Validated", true, "Valid", ""),
        condition(graph, "Ready", deployed == components.size(), failed > 0 ? "ComponentFailed" : phase, readyMessage));
    graphs.mergeStatus(key, status);
  }

  /**
   * Returns the stored {@code observedAt} when nothing else in the entry changed, so that a
   * reconcile that observes the same state writes nothing.
   */
  private static String observedAt(ObjectNode graph, String name, ObjectNode entry, ComponentStatus component) {
    JsonNode stored = graph.path("status").path("components").path(name);
    ObjectNode storedWithoutTime = stored.isObject() ? ((ObjectNode) stored).deepCopy() : JSON.createObjectNode();
    storedWithoutTime.remove("observedAt");
    storedWithoutTime.remove("endpoints");
    ObjectNode entryWithoutEndpoints = entry.deepCopy();
    entryWithoutEndpoints.remove("endpoints");
    boolean unchanged = storedWithoutTime.equals(entryWithoutEndpoints)
        && stored.path("endpoints").size() == component.endpoints().size()
        && stored.hasNonNull("observedAt");
    return unchanged ? stored.path("observedAt").asText() : component.observedAt().toString();
  }

  private static ObjectNode base(ObjectNode graph, String phase) {
    ObjectNode status = JSON.createObjectNode();
    status.put("phase", phase);
    status.put("observedGeneration", graph.path("metadata").path("generation").asLong());
    return status;
  }

  /** Sets every component the stored status lists to null, so the merge patch removes it. */
  private static void removeAllComponents(ObjectNode status, ObjectNode graph) {
    ObjectNode entries = status.putObject("components");
    Iterator<String> names = graph.path("status").path("components").fieldNames();
    names.forEachRemaining(entries::putNull);
  }

  private static void conditions(ObjectNode status, ObjectNode graph, ObjectNode... conditions) {
    ArrayNode list = status.putArray("conditions");
    for (ObjectNode condition : conditions) {
      list.add(condition);
    }
  }

  private ObjectNode condition(ObjectNode graph, String type, boolean value, String reason, String message) {
    return Conditions.of(graph, type, value, reason, message, clock.instant());
  }

}
