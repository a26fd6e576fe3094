package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.scheduler.model.GraphKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import okhttp3.Call;
import okhttp3.Response;

/**
 * The hub apiserver as the graph controller reads and writes it: graphs, placement policies and
 * member clusters at {@code rampart.petuum.com/v1}, and core events. Objects cross this class as
 * Jackson trees. Thread-safe.
 *
 * <p>Every write of a graph sends the {@code metadata.resourceVersion} it was read with, so a
 * write based on a stale read fails with HTTP 409 instead of undoing someone else's change.
 */
final class HubObjects {

  static final String GROUP = "rampart.petuum.com";
  static final String VERSION = "v1";
  static final String GRAPHS = "rampartgraphs";
  static final String POLICIES = "placementpolicies";
  static final String MEMBERS = "memberclusters";
  /** The component that events name as their source. */
  static final String EVENT_SOURCE = "rampart-hub";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CustomObjectsApi objects;
  private final CoreV1Api core;

  HubObjects(ApiClient client) {
    requireNonNull(client, "client");
    this.objects = new CustomObjectsApi(client);
    this.core = new CoreV1Api(client);
  }

  /** Lists every object of the plural in all namespaces, or all of a cluster-scoped kind. */
  List<JsonNode> list(String plural) throws ApiException {
    JsonNode list = execute(objects.listClusterCustomObject(GROUP, VERSION, plural).buildCall(null));
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    return items;
  }

  /** Replaces a graph's metadata and spec; returns the stored object. */
  JsonNode replaceGraph(GraphKey key, ObjectNode graph) throws ApiException {
    return execute(objects.replaceNamespacedCustomObject(
        GROUP, VERSION, key.namespace(), GRAPHS, key.name(), body(graph)).buildCall(null));
  }

  /** Replaces a graph's status subresource; returns the stored object. */
  JsonNode replaceGraphStatus(GraphKey key, ObjectNode graph) throws ApiException {
    return execute(objects.replaceNamespacedCustomObjectStatus(
        GROUP, VERSION, key.namespace(), GRAPHS, key.name(), body(graph)).buildCall(null));
  }

  /**
   * Records a Kubernetes event on the graph, as {@code kubectl describe rampartgraph} shows them.
   * A failure to write an event is returned to the caller, which logs it; events are advisory.
   */
  void event(JsonNode graph, boolean warning, String reason, String message) throws ApiException {
    JsonNode metadata = graph.path("metadata");
    String namespace = metadata.path("namespace").asText();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    CoreV1Event event = new CoreV1Event()
        .metadata(new V1ObjectMeta()
            .namespace(namespace)
            .name(metadata.path("name").asText() + "." + UUID.randomUUID().toString().substring(0, 8)
                .toLowerCase(Locale.ROOT)))
        .involvedObject(new V1ObjectReference()
            .apiVersion(GROUP + "/" + VERSION)
            .kind("RampartGraph")
            .namespace(namespace)
            .name(metadata.path("name").asText())
            .uid(metadata.path("uid").asText())
            .resourceVersion(metadata.path("resourceVersion").asText()))
        .type(warning ? "Warning" : "Normal")
        .reason(reason)
        .message(message)
        .source(new V1EventSource().component(EVENT_SOURCE))
        .firstTimestamp(now)
        .lastTimestamp(now)
        .count(1);
    core.createNamespacedEvent(namespace, event).execute();
  }

  /**
   * Runs the call and parses the body with Jackson. Client-java's own decoding goes through Gson,
   * which turns every number into a double, so {@code count: 1} would be written back as
   * {@code 1.0}.
   */
  private static JsonNode execute(Call call) throws ApiException {
    try (Response response = call.execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.code(), response.headers().toMultimap(), body);
      }
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The hub apiserver returned JSON that does not parse: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(ObjectNode object) {
    return JSON.convertValue(object, Map.class);
  }
}
