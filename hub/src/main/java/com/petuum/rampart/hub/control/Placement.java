package com.petuum.rampart.hub.control;

import com.petuum.rampart.scheduler.resource.ResourceList;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A graph's placement as {@code status.placement} stores it: the cluster of every component, why
 * it went there, the total requests it was placed with, and the epoch, graph generation and
 * instant of the decision. Immutable.
 *
 * @param requests per component, the total requests over its replicas; missing for placements
 *     stored before the hub recorded them
 */
record Placement(
    long epoch,
    long generation,
    Instant decidedAt,
    SortedMap<String, String> clusters,
    SortedMap<String, String> reasons,
    SortedMap<String, ResourceList> requests) {

  private static final ObjectMapper JSON = new ObjectMapper();

  Placement {
    requireNonNull(decidedAt, "decidedAt");
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons));
    requests = Collections.unmodifiableSortedMap(new TreeMap<>(requests));
  }

  /** Reads the stored placement; empty when the graph has none or it lists no component. */
  static Optional<Placement> read(JsonNode graph) {
    JsonNode stored = graph.path("status").path("placement");
    JsonNode components = stored.path("components");
    if (!components.isObject() || components.isEmpty()) {
      return Optional.empty();
    }
    SortedMap<String, String> clusters = new TreeMap<>();
    SortedMap<String, String> reasons = new TreeMap<>();
    SortedMap<String, ResourceList> requests = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String cluster = entry.getValue().path("cluster").asText("");
      if (cluster.isEmpty()) {
        return Optional.empty();
      }
      clusters.put(entry.getKey(), cluster);
      reasons.put(entry.getKey(), entry.getValue().path("reason").asText(""));
      readRequests(entry.getValue().path("requests")).ifPresent(amounts -> requests.put(entry.getKey(), amounts));
    }
    Instant decidedAt;
    try {
      decidedAt = Instant.parse(stored.path("decidedAt").asText(Instant.EPOCH.toString()));
    } catch (DateTimeParseException e) {
      decidedAt = Instant.EPOCH;
    }
    return Optional.of(new Placement(
        stored.path("epoch").asLong(0), stored.path("generation").asLong(0), decidedAt, clusters, reasons, requests));
  }

  /** Reads a stored map of quantity strings; empty when it is missing or not valid. */
  private static Optional<ResourceList> readRequests(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    Map<String, String> quantities = new TreeMap<>();
    node.fields().forEachRemaining(field -> quantities.put(field.getKey(), field.getValue().asText()));
    try {
      return Optional.of(ResourceList.parse("status.placement.components.requests", quantities));
    } catch (IllegalArgumentException e) {
      // A hand-edited status: the scheduler then uses the component's current requests.
      return Optional.empty();
    }
  }

  /** Returns the distinct clusters, sorted. */
  SortedSet<String> clusterSet() {
    return new TreeSet<>(clusters.values());
  }

  ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("epoch", epoch);
    node.put("generation", generation);
    node.put("decidedAt", decidedAt.toString());
    ObjectNode components = node.putObject("components");
    clusters.forEach((component, cluster) -> {
      ObjectNode entry = components.putObject(component);
      entry.put("cluster", cluster).put("reason", reasons.getOrDefault(component, ""));
      ResourceList amounts = requests.get(component);
      if (amounts != null) {
        ObjectNode quantities = entry.putObject("requests");
        amounts.toQuantities().forEach(quantities::put);
      }
    });
    return node;
  }
}
