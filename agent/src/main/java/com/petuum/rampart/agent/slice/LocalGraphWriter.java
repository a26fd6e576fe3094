package com.petuum.rampart.agent.slice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.proto.v1.WorkKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes graph slices into the member cluster as local {@code RampartGraph} v1 objects, labelled
 * as owned by the hub so that the local controller and people can tell them from graphs applied
 * to the member directly.
 *
 * <p>Each slice replaces the whole local object, except its status, which the local controller
 * owns. Applying the same slice twice leaves the object as it was. Thread-safe: the work store
 * calls it one key at a time.
 */
public final class LocalGraphWriter implements SliceApplier {

  private static final Logger log = LoggerFactory.getLogger(LocalGraphWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String GROUP = "rampart.petuum.com";
  public static final String VERSION = "v1";
  public static final String PLURAL = "rampartgraphs";
  /** Label that marks a local graph as written by the agent for the hub. */
  public static final String OWNED_BY_LABEL = "rampart.petuum.com/owned-by";
  /** Annotation with the hub graph's UID, the slice's work key. */
  public static final String HUB_UID_ANNOTATION = "rampart.petuum.com/hub-uid";
  /** Annotation with the hub graph's generation that this slice belongs to. */
  public static final String HUB_GENERATION_ANNOTATION = "rampart.petuum.com/hub-generation";

  private final ApiClient client;

  public LocalGraphWriter(ApiClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public void apply(WorkKey key, long generation, ByteString sliceJson) {
    ObjectNode graph = parse(key, sliceJson);
    ObjectNode metadata = graph.with("metadata");
    metadata.put("name", key.getGraphName());
    metadata.put("namespace", key.getGraphNamespace());
    metadata.remove(java.util.List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"));
    metadata.with("labels").put(OWNED_BY_LABEL, "hub");
    metadata.with("annotations").put(HUB_UID_ANNOTATION, key.getGraphUid());
    metadata.with("annotations").put(HUB_GENERATION_ANNOTATION, Long.toString(generation));
    graph.put("apiVersion", GROUP + "/" + VERSION);
    graph.put("kind", "RampartGraph");
    graph.remove("status");

    ensureNamespace(key.getGraphNamespace());
    CustomObjectsApi objects = new CustomObjectsApi(client);
    try {
      Object existing = objects.getNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL, key.getGraphName()).execute();
      JsonNode current = JSON.valueToTree(existing);
      metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
      objects.replaceNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL, key.getGraphName(),
          JSON.convertValue(graph, Map.class)).execute();
      log.info("Updated a hub-owned local graph. graph={}/{} generation={}", key.getGraphNamespace(), key.getGraphName(), generation);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw failure("update", key, e);
      }
      create(objects, key, generation, graph);
    }
  }

  private void create(CustomObjectsApi objects, WorkKey key, long generation, ObjectNode graph) {
    try {
      objects.createNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL,
          JSON.convertValue(graph, Map.class)).execute();
      log.info("Created a hub-owned local graph. graph={}/{} generation={}", key.getGraphNamespace(), key.getGraphName(), generation);
    } catch (ApiException e) {
      throw failure("create", key, e);
    }
  }

  @Override
  public void remove(WorkKey key) {
    try {
      new CustomObjectsApi(client)
          .deleteNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL, key.getGraphName())
          .execute();
      log.info("Deleted a hub-owned local graph. graph={}/{}", key.getGraphNamespace(), key.getGraphName());
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw failure("delete", key, e);
      }
    }
  }

  private void ensureNamespace(String namespace) {
    CoreV1Api core = new CoreV1Api(client);
    try {
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("Cannot create namespace " + namespace + " on the member: HTTP " + e.getCode()
            + " " + e.getResponseBody(), e);
      }
    }
  }

  private static ObjectNode parse(WorkKey key, ByteString sliceJson) {
    try {
      JsonNode parsed = JSON.readTree(sliceJson.toByteArray());
      if (!(parsed instanceof ObjectNode object)) {
        throw new IllegalArgumentException("The slice of graph " + key.getGraphNamespace() + "/" + key.getGraphName()
            + " is not a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException("The slice of graph " + key.getGraphNamespace() + "/" + key.getGraphName()
          + " is not valid JSON", e);
    }
  }

  private static IllegalStateException failure(String action, WorkKey key, ApiException e) {
    return new IllegalStateException("Cannot " + action + " local graph " + key.getGraphNamespace() + "/"
        + key.getGraphName() + " on the member: HTTP " + e.getCode() + " " + e.getResponseBody(), e);
  }
}
