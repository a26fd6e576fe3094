package com.petuum.rampart.hub.control;

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
 * it went there, and the epoch, graph generation and instant of the decision. Immutable.
 */
record Placement(
    long epoch, long generation, Instant decidedAt, SortedMap<String, String> clusters, SortedMap<String, String> reasons) {

  private static final ObjectMapper JSON = new ObjectMapper();

  Placement {
    requireNonNull(decidedAt, "decidedAt");
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons));
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
    for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String cluster = entry.getValue().path("cluster").asText("");
      if (cluster.isEmpty()) {
        return Optional.empty();
      }
      clusters.put(entry.getKey(), cluster);
      reasons.put(entry.getKey(), entry.getValue().path("reason").asText(""));
    }
    Instant decidedAt;
    try {
      decidedAt = Instant.parse(stored.path("decidedAt").asText(Instant.EPOCH.toString()));
    } catch (DateTimeParseException e) {
      decidedAt = Instant.EPOCH;
    }
    return Optional.of(new Placement(
        stored.path("epoch").asLong(0), stored.path("generation").asLong(0), decidedAt, clusters, reasons));
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
    clusters.forEach((component, cluster) ->
        components.putObject(component).put("cluster", cluster).put("reason", reasons.getOrDefault(component, "")));
    return node;
  }
}
