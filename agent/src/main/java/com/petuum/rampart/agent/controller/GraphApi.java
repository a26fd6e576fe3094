package com.petuum.rampart.agent.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Reads and patches RampartGraph objects on the member's apiserver, as Jackson trees of the
 * storage version {@code rampart.petuum.com/v1}.
 *
 * <p>Finalizers are changed with JSON patches that first test the list they change, so a
 * concurrent change fails with a conflict instead of dropping another controller's finalizer (the
 * original controller's merge patch replaced the whole list). Thread-safe.
 */
final class GraphApi {

  static final String GROUP = "rampart.petuum.com";
  static final String VERSION = "v1";
  static final String PLURAL = "rampartgraphs";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient client;
  private final CustomObjectsApi customObjects;

  GraphApi(ApiClient client) {
    this.client = client;
    this.customObjects = new CustomObjectsApi(client);
  }

  /**
   * Returns the graph, or empty when it does not exist.
   *
   * <p>The response body is parsed with Jackson directly: client-java's Gson would turn every
   * number into a double, so {@code replicas: 1} would reach Helm and the hub spec comparison as
   * {@code 1.0}.
   */
  Optional<ObjectNode> get(GraphKey key) throws ApiException {
    Call call = customObjects.getNamespacedCustomObject(GROUP, VERSION, key.namespace(), PLURAL, key.name()).buildCall(null);
    try (Response response = call.execute()) {
      if (response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.code(), response.headers().toMultimap(), body);
      }
      return Optional.of((ObjectNode) JSON.readTree(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The apiserver returned graph " + key + " as invalid JSON", e);
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  /** Appends {@code finalizer} to the graph's finalizers. */
  void addFinalizer(GraphKey key, JsonNode graph, String finalizer) throws ApiException {
    JsonNode finalizers = graph.path("metadata").path("finalizers");
    ArrayNode patch = JSON.createArrayNode();
    if (finalizers.isArray()) {
      patch.addObject().put("op", "test").put("path", "/metadata/finalizers").set("value", finalizers);
      patch.addObject().put("op", "add").put("path", "/metadata/finalizers/-").put("value", finalizer);
    } else {
      // The resource version test makes a concurrent first finalizer fail with a conflict.
      patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
          .put("value", graph.path("metadata").path("resourceVersion").asText());
      patch.addObject().put("op", "add").put("path", "/metadata/finalizers").putArray("value").add(finalizer);
    }
    patch(key, patch, V1Patch.PATCH_FORMAT_JSON_PATCH, false);
  }

  /** Removes {@code finalizer} from the graph's finalizers, leaving every other one. */
  void removeFinalizer(GraphKey key, JsonNode graph, String finalizer) throws ApiException {
    JsonNode finalizers = graph.path("metadata").path("finalizers");
    for (int i = 0; i < finalizers.size(); i++) {
      if (finalizer.equals(finalizers.get(i).asText())) {
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/finalizers/" + i).put("value", finalizer);
        patch.addObject().put("op", "remove").put("path", "/metadata/finalizers/" + i);
        patch(key, patch, V1Patch.PATCH_FORMAT_JSON_PATCH, false);
        return;
      }
    }
  }

  /** Replaces the graph's spec with {@code spec}. */
  void replaceSpec(GraphKey key, JsonNode spec) throws ApiException {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/spec").set("value", spec);
    patch(key, patch, V1Patch.PATCH_FORMAT_JSON_PATCH, false);
  }

  /** Merges {@code status} into the graph's status subresource (RFC 7386: null removes a key). */
  void mergeStatus(GraphKey key, ObjectNode status) throws ApiException {
    ObjectNode patch = JSON.createObjectNode();
    patch.set("status", status);
    patch(key, patch, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, true);
  }

  private void patch(GraphKey key, JsonNode body, String format, boolean status) throws ApiException {
    V1Patch patch = new V1Patch(body.toString());
    PatchUtils.patch(
        Object.class,
        () -> status
            ? customObjects.patchNamespacedCustomObjectStatus(GROUP, VERSION, key.namespace(), PLURAL, key.name(), patch)
                .buildCall(null)
            : customObjects.patchNamespacedCustomObject(GROUP, VERSION, key.namespace(), PLURAL, key.name(), patch)
                .buildCall(null),
        format,
        client);
  }
}
