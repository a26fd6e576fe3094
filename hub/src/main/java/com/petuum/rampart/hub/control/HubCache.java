package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.common.status.ApiErrorText;
import com.petuum.rampart.scheduler.model.GraphKey;
import io.kubernetes.client.openapi.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's view of graphs, placement policies and member clusters, refreshed by listing them
 * and compared with the previous list to find what changed.
 *
 * <p>A graph counts as changed when its generation, deletion timestamp, finalizers or labels
 * changed, or it appeared or vanished; status writes change none of these, so the controller's
 * own writes do not wake it. Member clusters count as changed when their spec, labels,
 * readiness or capacity changed, not at every heartbeat. Policies count as changed with their
 * generation or labels.
 *
 * <p>NOTE: the agent's local controller found client-java's shared informer unusable with
 * dynamic objects (it failed on every list), so this class lists instead of watching. A list
 * per poll costs more than a watch and bounds how fast a change is seen by the poll interval.
 *
 * <p>Thread-safe. {@link #poll} runs on one thread; reads may come from any thread.
 */
final class HubCache {

  /** Receives what a poll found changed. Called on the polling thread, after the cache changed. */
  interface Listener {
    void graphChanged(GraphKey key);

    /** Clusters or policies changed, so graphs that could not be placed may fit now. */
    void placementInputsChanged();
  }

  private static final Logger log = LoggerFactory.getLogger(HubCache.class);

  private final HubObjects objects;
  private final Listener listener;

  @GuardedBy("this")
  private Map<GraphKey, JsonNode> graphs = Map.of();
  @GuardedBy("this")
  private List<JsonNode> policies = List.of();
  @GuardedBy("this")
  private List<JsonNode> members = List.of();
  @GuardedBy("this")
  private Map<String, String> memberFingerprints = Map.of();
  @GuardedBy("this")
  private Map<String, String> policyFingerprints = Map.of();
  @GuardedBy("this")
  private boolean loaded;

  HubCache(HubObjects objects, Listener listener) {
    this.objects = requireNonNull(objects, "objects");
    this.listener = requireNonNull(listener, "listener");
  }

  /**
   * Lists everything once and reports the changes. A failed list leaves the cache as it was.
   *
   * @return whether the lists succeeded
   */
  boolean poll() {
    List<JsonNode> graphList;
    List<JsonNode> policyList;
    List<JsonNode> memberList;
    try {
      graphList = objects.list(HubObjects.GRAPHS);
      policyList = objects.list(HubObjects.POLICIES);
      memberList = objects.list(HubObjects.MEMBERS);
    } catch (ApiException e) {
      log.warn("Listing graphs, policies and member clusters failed; trying again at the next poll. code={} error={}",
          e.getCode(), ApiErrorText.of(e.getCode(), e.getResponseBody(), e.getMessage()));
      return false;
    }
    Map<GraphKey, JsonNode> newGraphs = new HashMap<>();
    for (JsonNode graph : graphList) {
      newGraphs.put(keyOf(graph), graph);
    }
    Map<String, String> newMembers = fingerprints(memberList, HubCache::memberFingerprint);
    Map<String, String> newPolicies = fingerprints(policyList, HubCache::policyFingerprint);

    Set<GraphKey> changedGraphs = new java.util.HashSet<>();
    boolean inputsChanged;
    synchronized (this) {
      for (Map.Entry<GraphKey, JsonNode> entry : newGraphs.entrySet()) {
        JsonNode previous = graphs.get(entry.getKey());
        if (previous == null || !graphFingerprint(previous).equals(graphFingerprint(entry.getValue()))) {
          changedGraphs.add(entry.getKey());
        }
      }
      for (GraphKey key : graphs.keySet()) {
        if (!newGraphs.containsKey(key)) {
          changedGraphs.add(key);
        }
      }
      inputsChanged = loaded && (!newMembers.equals(memberFingerprints) || !newPolicies.equals(policyFingerprints));
      graphs = newGraphs;
      policies = List.copyOf(policyList);
      members = List.copyOf(memberList);
      memberFingerprints = newMembers;
      policyFingerprints = newPolicies;
      loaded = true;
    }
    changedGraphs.forEach(listener::graphChanged);
    if (inputsChanged) {
      listener.placementInputsChanged();
    }
    return true;
  }

  /** Returns the graph as last listed or written, or empty when it does not exist. */
  synchronized Optional<JsonNode> graph(GraphKey key) {
    return Optional.ofNullable(graphs.get(key));
  }

  /** Returns the keys of every graph. */
  synchronized Set<GraphKey> graphKeys() {
    return Set.copyOf(graphs.keySet());
  }

  /**
   * Records an object the controller has just written, so that its next reconcile does not read
   * the version from before the write. An older resource version than the cached one is ignored.
   */
  synchronized void written(JsonNode graph) {
    GraphKey key = keyOf(graph);
    JsonNode cached = graphs.get(key);
    if (cached != null && resourceVersion(cached) > resourceVersion(graph)) {
      return;
    }
    Map<GraphKey, JsonNode> copy = new HashMap<>(graphs);
    copy.put(key, graph);
    graphs = copy;
  }

  synchronized List<JsonNode> policies() {
    return policies;
  }

  synchronized List<JsonNode> members() {
    return members;
  }

  /** Returns whether at least one poll succeeded. */
  synchronized boolean loaded() {
    return loaded;
  }

  static GraphKey keyOf(JsonNode graph) {
    JsonNode metadata = graph.path("metadata");
    return GraphKey.of(metadata.path("namespace").asText("default"), metadata.path("name").asText());
  }

  private static long resourceVersion(JsonNode object) {
    try {
      return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    } catch (NumberFormatException e) {
      // Resource versions are opaque to clients; etcd's are integers, and anything else is
      // treated as older so that a fresh list always wins.
      return 0;
    }
  }

  private static String graphFingerprint(JsonNode graph) {
    JsonNode metadata = graph.path("metadata");
    return metadata.path("generation").asText() + "|" + metadata.path("deletionTimestamp").asText() + "|"
        + metadata.path("finalizers") + "|" + metadata.path("labels");
  }

  private static String memberFingerprint(JsonNode member) {
    JsonNode status = member.path("status");
    String ready = "";
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        ready = condition.path("status").asText();
      }
    }
    return member.path("metadata").path("labels") + "|" + member.path("spec") + "|" + ready + "|"
        + status.path("capacity") + "|" + status.path("nodeCount") + "|" + status.path("freeNodeShapes");
  }

  private static String policyFingerprint(JsonNode policy) {
    return policy.path("metadata").path("generation").asText() + "|" + policy.path("metadata").path("labels");
  }

  private static Map<String, String> fingerprints(List<JsonNode> items, java.util.function.Function<JsonNode, String> print) {
    Map<String, String> result = new HashMap<>();
    for (JsonNode item : items) {
      JsonNode metadata = item.path("metadata");
      result.put(metadata.path("namespace").asText("") + "/" + metadata.path("name").asText(), print.apply(item));
    }
    return result;
  }

  /** Returns a deep copy that the caller may change. */
  static ObjectNode mutableCopy(JsonNode graph) {
    return ((ObjectNode) graph).deepCopy();
  }
}
