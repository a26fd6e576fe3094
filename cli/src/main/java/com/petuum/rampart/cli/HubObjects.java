package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.PatchUtils;
import java.util.ArrayList;
import java.util.List;

/** Reads and patches MemberClusters and RampartGraphs on the hub apiserver, as JSON trees. */
final class HubObjects {

  static final String GROUP = "rampart.petuum.com";
  static final String VERSION = "v1";
  static final String MEMBER_CLUSTERS = "memberclusters";
  static final String GRAPHS = "rampartgraphs";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request that the apiserver rejected or that did not reach it; the message names the object. */
  static final class HubRequestException extends Exception {
    private final int code;

    HubRequestException(String message, int code, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    /** HTTP status code, or 0 when the apiserver could not be reached. */
    int code() {
      return code;
    }

    boolean notFound() {
      return code == 404;
    }
  }

  private final ApiClient client;
  private final CustomObjectsApi api;

  HubObjects(ApiClient client) {
    this.client = client;
    this.api = new CustomObjectsApi(client);
  }

  List<JsonNode> listMemberClusters(String labelSelector) throws HubRequestException {
    try {
      var request = api.listClusterCustomObject(GROUP, VERSION, MEMBER_CLUSTERS);
      if (labelSelector != null) {
        request = request.labelSelector(labelSelector);
      }
      JsonNode list = read(request.buildCall(null));
      List<JsonNode> items = new ArrayList<>();
      list.path("items").forEach(items::add);
      return items;
    } catch (ApiException e) {
      throw failure("list memberclusters", e);
    }
  }

  JsonNode getMemberCluster(String name) throws HubRequestException {
    try {
      return read(api.getClusterCustomObject(GROUP, VERSION, MEMBER_CLUSTERS, name).buildCall(null));
    } catch (ApiException e) {
      throw failure("get membercluster " + name, e);
    }
  }

  /** Applies a JSON merge patch; a {@code metadata.resourceVersion} in it makes the write conditional. */
  void mergePatchMemberCluster(String name, ObjectNode patch) throws HubRequestException {
    try {
      PatchUtils.patch(
          Object.class,
          () -> api.patchClusterCustomObject(GROUP, VERSION, MEMBER_CLUSTERS, name, new V1Patch(patch.toString()))
              .fieldManager("rampartctl").buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw failure("patch membercluster " + name, e);
    }
  }

  JsonNode getGraph(String namespace, String name) throws HubRequestException {
    try {
      return read(api.getNamespacedCustomObject(GROUP, VERSION, namespace, GRAPHS, name).buildCall(null));
    } catch (ApiException e) {
      throw failure("get rampartgraph " + namespace + "/" + name, e);
    }
  }

  /**
   * Executes a call and parses the body with Jackson, because client-java's own decoding turns
   * every JSON number into a double (a generation of 1 would print as 1.0).
   */
  private JsonNode read(okhttp3.Call call) throws ApiException {
    try (okhttp3.Response response = call.execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), body);
      }
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new ApiException(e);
    }
  }

  private HubRequestException failure(String action, ApiException e) {
    String detail;
    if (e.getCode() == 0) {
      detail = "cannot reach the hub apiserver at " + client.getBasePath() + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
          + "; check --kubeconfig and --context";
    } else {
      String body = e.getResponseBody() == null ? "" : e.getResponseBody().trim();
      String message = body.isEmpty() ? "no response body" : body;
      boolean statusObject = false;
      try {
        JsonNode status = JSON.readTree(body);
        if (status != null && status.has("message")) {
          message = status.path("message").asText(message);
          statusObject = true;
        }
      } catch (Exception ignored) {
        // A body that is not a Status object, such as "404 page not found", is shown as it is.
      }
      detail = "HTTP " + e.getCode() + ": " + message;
      if (e.getCode() == 404 && (!statusObject || message.contains("the server could not find the requested resource"))) {
        detail += "; this apiserver does not serve the Rampart hub API (is --context the hub?)";
      }
    }
    return new HubRequestException("cannot " + action + ": " + detail, e.getCode(), e);
  }
}
