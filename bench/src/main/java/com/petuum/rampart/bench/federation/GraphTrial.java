package com.petuum.rampart.bench.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * Applies one copy of the graph on the hub and waits until every component's pods are Running on
 * the member the hub chose, then reads the decision and slice-applied times.
 *
 * <p>Progress is polled every {@link #POLL} (100 ms), so the apply-to-Running figure is late by up to one
 * poll interval plus one round of reads.
 */
final class GraphTrial {

  static final String GROUP = "rampart.petuum.com";
  static final String VERSION = "v1";
  static final String PLURAL = "rampartgraphs";
  /** Label on every copy, so that a later run can find and delete copies an aborted run left. */
  static final String BENCH_LABEL = "rampart.petuum.com/bench";
  static final String BENCH_LABEL_VALUE = "apply-latency";
  /** Annotation the agent writes on the local graph when it has applied a slice. */
  static final String SLICE_APPLIED_AT = "rampart.petuum.com/slice-applied-at";
  static final Duration POLL = Duration.ofMillis(100);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FederationClients clients;
  private final ObjectNode template;
  private final Duration timeout;

  GraphTrial(FederationClients clients, ObjectNode template, Duration timeout) {
    this.clients = clients;
    this.template = template;
    this.timeout = timeout;
  }

  /**
   * Creates the copy {@code name} in the template's namespace and measures it.
   *
   * @throws TimeoutException when the pods are not all Running within the timeout
   * @throws IllegalStateException when the hub reports the graph Unschedulable or Failed
   * @throws ApiException when a Kubernetes call fails with anything but 404
   */
  GraphTiming run(String name) throws ApiException, TimeoutException, InterruptedException {
    ObjectNode graph = template.deepCopy();
    graph.with("metadata").put("name", name);
    graph.with("metadata").with("labels").put(BENCH_LABEL, BENCH_LABEL_VALUE);
    String namespace = graph.path("metadata").path("namespace").asText();
    JsonNode components = graph.path("spec").path("graph").path("components");

    Instant created = Instant.now();
    new CustomObjectsApi(clients.hub())
        .createNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, JSON.convertValue(graph, Map.class))
        .execute();

    Instant deadline = created.plus(timeout);
    JsonNode status = JSON.nullNode();
    while (!allRunning(components, status)) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("graph " + namespace + "/" + name + " did not run within " + timeout.toSeconds()
            + " s; last hub status: " + status);
      }
      Thread.sleep(POLL.toMillis());
      status = hubGraph(namespace, name).path("status");
      String phase = status.path("phase").asText();
      if (phase.equals("Unschedulable") || phase.equals("Failed")) {
        throw new IllegalStateException("graph " + namespace + "/" + name + " is " + phase + ": " + reason(status));
      }
    }
    Duration applyToRunning = Duration.between(created, Instant.now());

    Map<String, String> clusters = new TreeMap<>();
    JsonNode reported = status.path("components");
    components.fieldNames().forEachRemaining(component ->
        clusters.put(component, reported.path(component).path("cluster").asText()));
    return new GraphTiming(name, applyToRunning, clusters, decisionToApplied(namespace, name, status, clusters));
  }

  /** Returns the message of the first condition that is not True, on one line and cut at 400 characters. */
  private static String reason(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if (!"True".equals(condition.path("status").asText())) {
        String message = String.join(" / ", condition.path("message").asText().lines().toList());
        String text = message.isBlank() ? condition.path("reason").asText() : message;
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
      }
    }
    return "no condition explains it";
  }

  /** Returns whether the hub status places every component and its member runs all of its pods. */
  private boolean allRunning(JsonNode components, JsonNode status) throws ApiException {
    if (!status.path("components").isObject()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = components.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> component = fields.next();
      JsonNode reported = status.path("components").path(component.getKey());
      String cluster = reported.path("cluster").asText("");
      String componentNamespace = reported.path("namespace").asText("");
      if (cluster.isEmpty() || componentNamespace.isEmpty()) {
        return false;
      }
      List<V1Pod> pods = new CoreV1Api(clients.member(cluster)).listNamespacedPod(componentNamespace).execute().getItems();
      long running = pods.stream().filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())).count();
      if (running < expectedPods(component.getValue()) || running < pods.size()) {
        return false;
      }
    }
    return true;
  }

  /** Returns the number of pods a component declares in {@code resources}, or 1 when it declares none. */
  private static long expectedPods(JsonNode component) {
    long count = 0;
    for (JsonNode pods : component.path("resources")) {
      count += pods.path("count").asLong(1);
    }
    return Math.max(1, count);
  }

  private Map<String, Optional<Duration>> decisionToApplied(
      String namespace, String name, JsonNode status, Map<String, String> clusters) throws ApiException {
    Map<String, Optional<Duration>> durations = new TreeMap<>();
    Optional<Instant> decided = timestamp(status.path("placement").path("decidedAt"));
    for (String cluster : new TreeSet<>(clusters.values())) {
      JsonNode local = memberGraph(cluster, namespace, name);
      Optional<Instant> applied = timestamp(local.path("metadata").path("annotations").path(SLICE_APPLIED_AT));
      durations.put(cluster, decided.flatMap(start -> applied.map(end -> Duration.between(start, end))));
    }
    return durations;
  }

  private static Optional<Instant> timestamp(JsonNode field) {
    if (!field.isTextual() || field.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(OffsetDateTime.parse(field.asText()).toInstant());
  }

  private JsonNode hubGraph(String namespace, String name) throws ApiException {
    return get(new CustomObjectsApi(clients.hub()), namespace, name);
  }

  private JsonNode memberGraph(String cluster, String namespace, String name) throws ApiException {
    return get(new CustomObjectsApi(clients.member(cluster)), namespace, name);
  }

  /** Returns the graph, or a missing node when it does not exist. */
  static JsonNode get(CustomObjectsApi api, String namespace, String name) throws ApiException {
    try {
      return JSON.valueToTree(api.getNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return JSON.missingNode();
      }
      throw e;
    }
  }
}
