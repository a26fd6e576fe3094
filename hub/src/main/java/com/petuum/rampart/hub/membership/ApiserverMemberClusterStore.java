package com.petuum.rampart.hub.membership;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.GpuModel;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.NodeShape;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MemberCluster objects on the hub apiserver, through client-java's CustomObjectsApi. Thread-safe.
 *
 * <p>Status is written with JSON merge patches on the status subresource, so fields other writers
 * own (such as the scheduler's view) are left alone. Because a merge patch replaces lists whole,
 * every write sends both conditions, Joined and Ready, keeping Joined's transition time from the
 * stored object. Topology labels the agent found on nodes are added to metadata.labels only where
 * the operator has not set them.
 */
public final class ApiserverMemberClusterStore implements MemberClusterStore {

  public static final String GROUP = "rampart.petuum.com";
  public static final String PLURAL = "memberclusters";
  private static final String TOPOLOGY_PREFIX = "topology.rampart.petuum.com/";

  private final ApiClient client;
  private final CustomObjectsApi api;
  private final String version;
  private final Gson gson = new Gson();

  /**
   * Creates a store; the caller owns the client.
   *
   * @param version the MemberCluster API version to read and write, such as v1
   */
  public ApiserverMemberClusterStore(ApiClient client, String version) {
    this.client = requireNonNull(client, "client");
    this.api = new CustomObjectsApi(client);
    this.version = requireNonNull(version, "version");
  }

  @Override
  public boolean exists(ClusterName cluster) {
    return get(cluster) != null;
  }

  @Override
  public Set<ClusterName> list() {
    Object list;
    try {
      list = api.listClusterCustomObject(GROUP, version, PLURAL).execute();
    } catch (ApiException e) {
      throw failure("list MemberClusters", e);
    }
    Set<ClusterName> names = new HashSet<>();
    for (Object item : listOf(asMap(list).get("items"))) {
      Object name = asMap(asMap(item).get("metadata")).get("name");
      if (name instanceof String text) {
        ClusterName.fromCommonName(ClusterName.SUBJECT_PREFIX + text).ifPresent(names::add);
      }
    }
    return names;
  }

  @Override
  public void recordJoin(ClusterName cluster, String agentVersion, Instant at) {
    if (get(cluster) == null) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("apiVersion", GROUP + "/" + version);
      object.put("kind", "MemberCluster");
      object.put("metadata", Map.of("name", cluster.value()));
      object.put("spec", Map.of());
      try {
        api.createClusterCustomObject(GROUP, version, PLURAL, object).execute();
      } catch (ApiException e) {
        // 409: another hub replica or an operator created it first, which is what we wanted.
        if (e.getCode() != 409) {
          throw failure("create MemberCluster " + cluster, e);
        }
      }
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", List.of(joined(at, agentVersion)));
    status.put("agentVersion", agentVersion);
    patchStatus(cluster, status);
  }

  @Override
  public void writeStatus(ClusterName cluster, MemberStatus memberStatus) {
    Map<String, Object> current = get(cluster);
    if (current == null) {
      throw new IllegalStateException("MemberCluster " + cluster + " does not exist; it was deleted");
    }
    Object joinedAt = joinedTransitionTime(current);

    Map<String, Object> status = new LinkedHashMap<>();
    Map<String, Object> joined = joined(memberStatus.lastHeartbeatTime(), memberStatus.agentVersion());
    if (joinedAt != null) {
      joined.put("lastTransitionTime", joinedAt);
    }
    status.put("conditions", List.of(joined, readyCondition(memberStatus.ready())));
    status.put("agentVersion", memberStatus.agentVersion());
    status.put("agentAddress", memberStatus.agentAddress());
    status.put("kubernetesVersion", memberStatus.kubernetesVersion());
    status.put("lastHeartbeatTime", memberStatus.lastHeartbeatTime().toString());
    memberStatus.inventory().ifPresent(inventory -> putInventory(status, inventory));
    patchStatus(cluster, status);

    memberStatus.inventory().ifPresent(inventory -> addMissingTopologyLabels(cluster, current, inventory));
  }

  @Override
  public boolean markNotReady(ClusterName cluster, ReadyCondition ready) {
    Map<String, Object> current = get(cluster);
    if (current == null) {
      return false;
    }
    List<Object> conditions = new ArrayList<>();
    boolean wasReady = false;
    for (Object condition : listOf(asMap(current.get("status")).get("conditions"))) {
      if ("Ready".equals(asMap(condition).get("type"))) {
        wasReady = ReadyCondition.TRUE.equals(asMap(condition).get("status"));
        conditions.add(readyCondition(ready));
      } else {
        conditions.add(condition);
      }
    }
    if (!wasReady) {
      return false;
    }
    patchStatus(cluster, Map.of("conditions", conditions));
    return true;
  }

  private static void putInventory(Map<String, Object> status, Inventory inventory) {
    status.put(
        "capacity",
        Map.of(
            "allocatable", inventory.getAllocatable().getQuantitiesMap(),
            "allocated", inventory.getAllocated().getQuantitiesMap(),
            "available", inventory.getAvailable().getQuantitiesMap()));
    status.put("nodeCount", inventory.getNodeCount());
    List<Map<String, Object>> models = new ArrayList<>();
    for (GpuModel model : inventory.getGpuModelsList()) {
      models.add(Map.of("model", model.getModel(), "count", model.getCount()));
    }
    status.put("gpuModels", models);
    List<Map<String, Object>> shapes = new ArrayList<>();
    for (NodeShape shape : inventory.getFreeNodeShapesList()) {
      shapes.add(Map.of("free", shape.getFree().getQuantitiesMap(), "count", shape.getNodeCount()));
    }
    status.put("freeNodeShapes", shapes);
  }

  private void addMissingTopologyLabels(ClusterName cluster, Map<String, Object> current, Inventory inventory) {
    Map<String, Object> labels = asMap(asMap(current.get("metadata")).get("labels"));
    Map<String, String> missing = new LinkedHashMap<>();
    inventory.getTopologyLabelsMap().forEach((key, value) -> {
      if (key.startsWith(TOPOLOGY_PREFIX) && !labels.containsKey(key)) {
        missing.put(key, value);
      }
    });
    if (missing.isEmpty()) {
      return;
    }
    String patch = gson.toJson(Map.of("metadata", Map.of("labels", missing)));
    try {
      PatchUtils.patch(
          Object.class,
          () -> api.patchClusterCustomObject(GROUP, version, PLURAL, cluster.value(), new V1Patch(patch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw failure("label MemberCluster " + cluster, e);
    }
  }

  private void patchStatus(ClusterName cluster, Map<String, Object> status) {
    String patch = gson.toJson(Map.of("status", status));
    try {
      PatchUtils.patch(
          Object.class,
          () -> api.patchClusterCustomObjectStatus(GROUP, version, PLURAL, cluster.value(), new V1Patch(patch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw failure("write the status of MemberCluster " + cluster, e);
    }
  }

  private Map<String, Object> get(ClusterName cluster) {
    try {
      return asMap(api.getClusterCustomObject(GROUP, version, PLURAL, cluster.value()).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw failure("read MemberCluster " + cluster, e);
    }
  }

  private static Map<String, Object> joined(Instant at, String agentVersion) {
    Map<String, Object> joined = new LinkedHashMap<>();
    joined.put("type", "Joined");
    joined.put("status", "True");
    joined.put("reason", "AgentJoined");
    joined.put("message", "The agent joined with a bootstrap token; agent version " + agentVersion + ".");
    joined.put("lastTransitionTime", at.toString());
    return joined;
  }

  private static Map<String, Object> readyCondition(ReadyCondition ready) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", "Ready");
    condition.put("status", ready.status());
    condition.put("reason", ready.reason());
    condition.put("message", ready.message());
    condition.put("lastTransitionTime", ready.lastTransitionTime().toString());
    return condition;
  }

  private static Object joinedTransitionTime(Map<String, Object> object) {
    for (Object condition : listOf(asMap(object.get("status")).get("conditions"))) {
      Map<String, Object> map = asMap(condition);
      if ("Joined".equals(map.get("type"))) {
        return map.get("lastTransitionTime");
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static List<?> listOf(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  private static IllegalStateException failure(String action, ApiException e) {
    return new IllegalStateException(
        "Failed to " + action + ": HTTP " + e.getCode() + " " + e.getResponseBody(), e);
  }
}
