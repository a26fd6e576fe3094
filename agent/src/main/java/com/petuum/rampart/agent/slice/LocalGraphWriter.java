package com.petuum.rampart.agent.slice;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.controller.GraphKey;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.common.status.ApiErrorText;
import com.petuum.rampart.proto.v1.WorkKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes graph slices into the member cluster as local {@code RampartGraph} v1 objects, labelled
 * as owned by the hub so that the local controller and people can tell them from graphs applied
 * to the member directly.
 *
 * <p>Each slice replaces the whole local object except its status, which the local controller
 * owns, and its finalizers, so that a graph being deployed keeps the controller's finalizer. Every
 * write stamps {@value #SLICE_APPLIED_AT_ANNOTATION} and records the written spec in
 * {@link #appliedSpecs()}, from which the controller reverts local edits.
 *
 * <p>Thread-safe: the work store calls it one key at a time, and different keys touch different
 * objects.
 */
public final class LocalGraphWriter implements SliceApplier {

  private static final Logger log = LoggerFactory.getLogger(LocalGraphWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** RFC 3339 in UTC with milliseconds, such as {@code 2026-12-04T10:00:00.123Z}. */
  private static final DateTimeFormatter APPLIED_AT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  public static final String GROUP = "rampart.petuum.com";
  public static final String VERSION = "v1";
  public static final String PLURAL = "rampartgraphs";
  /** Label that marks a local graph as written by the agent for the hub. */
  public static final String OWNED_BY_LABEL = "rampart.petuum.com/owned-by";
  /** Annotation with the hub graph's UID, the slice's work key. */
  public static final String HUB_UID_ANNOTATION = "rampart.petuum.com/hub-uid";
  /** Annotation with the hub graph's generation that this slice belongs to. */
  public static final String HUB_GENERATION_ANNOTATION = "rampart.petuum.com/hub-generation";
  /**
   * Annotation with the instant at which the agent wrote the current slice, RFC 3339 in UTC with
   * milliseconds. It is read just before the write request is sent.
   */
  public static final String SLICE_APPLIED_AT_ANNOTATION = "rampart.petuum.com/slice-applied-at";

  private final ApiClient client;
  private final Clock clock;
  private final AppliedSpecs appliedSpecs = new AppliedSpecs();

  /**
   * Creates a writer.
   *
   * @param client the member's apiserver; the caller owns it
   * @param clock the source of the applied-at stamps
   */
  public LocalGraphWriter(ApiClient client, Clock clock) {
    this.client = requireNonNull(client, "client");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Returns the specs this writer last wrote, for the controller to revert local edits with. */
  public AppliedSpecs appliedSpecs() {
    return appliedSpecs;
  }

  /** Formats {@code instant} as {@value #SLICE_APPLIED_AT_ANNOTATION} stores it. */
  public static String formatAppliedAt(Instant instant) {
    return APPLIED_AT_FORMAT.format(instant);
  }

  @Override
  public void apply(WorkKey key, long generation, ByteString sliceJson) {
    ObjectNode graph = parse(key, sliceJson);
    ObjectNode metadata = graph.with("metadata");
    metadata.put("name", key.getGraphName());
    metadata.put("namespace", key.getGraphNamespace());
    metadata.remove(List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "finalizers"));
    metadata.with("labels").put(OWNED_BY_LABEL, "hub");
    ObjectNode annotations = metadata.with("annotations");
    annotations.put(HUB_UID_ANNOTATION, key.getGraphUid());
    annotations.put(HUB_GENERATION_ANNOTATION, Long.toString(generation));
    graph.put("apiVersion", GROUP + "/" + VERSION);
    graph.put("kind", "RampartGraph");
    graph.remove("status");

    ensureNamespace(key.getGraphNamespace());
    CustomObjectsApi objects = new CustomObjectsApi(client);
    GraphKey graphKey = new GraphKey(key.getGraphNamespace(), key.getGraphName());
    ObjectNode written;
    try {
      Optional<ObjectNode> existing = send(
          objects.getNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL, key.getGraphName())
              .buildCall(null));
      if (existing.isPresent()) {
        JsonNode current = existing.get().path("metadata");
        metadata.put("resourceVersion", current.path("resourceVersion").asText());
        if (current.has("finalizers")) {
          metadata.set("finalizers", current.get("finalizers"));
        }
        annotations.put(SLICE_APPLIED_AT_ANNOTATION, formatAppliedAt(clock.instant()));
        written = send(objects.replaceNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL,
            key.getGraphName(), JSON.convertValue(graph, Map.class)).buildCall(null))
            .orElseThrow(() -> new IllegalStateException("Local graph " + graphKey + " vanished during the update; "
                + "the hub re-sends the slice because it is not acknowledged"));
        log.info("Updated a hub-owned local graph. graph={} generation={}", graphKey, generation);
      } else {
        annotations.put(SLICE_APPLIED_AT_ANNOTATION, formatAppliedAt(clock.instant()));
        written = send(objects.createNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL,
            JSON.convertValue(graph, Map.class)).buildCall(null))
            .orElseThrow(() -> new IllegalStateException("Namespace " + key.getGraphNamespace() + " vanished while "
                + "creating local graph " + graphKey));
        log.info("Created a hub-owned local graph. graph={} generation={}", graphKey, generation);
      }
    } catch (ApiException e) {
      throw failure("write", key, e);
    }
    appliedSpecs.put(graphKey, written.path("spec"));
  }

  @Override
  public void remove(WorkKey key) {
    GraphKey graphKey = new GraphKey(key.getGraphNamespace(), key.getGraphName());
    // Forgotten first, so that the controller does not put back the spec of a graph being deleted.
    appliedSpecs.remove(graphKey);
    try {
      new CustomObjectsApi(client)
          .deleteNamespacedCustomObject(GROUP, VERSION, key.getGraphNamespace(), PLURAL, key.getGraphName())
          .execute();
      log.info("Deleted a hub-owned local graph. graph={}", graphKey);
    } catch (ApiException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw failure("delete", key, e);
      }
    }
  }

  /**
   * Runs a request and parses the response with Jackson; returns empty on 404. Jackson keeps
   * integers integral, where client-java's Gson would turn {@code 1} into {@code 1.0} and make the
   * recorded spec differ from the one the controller reads.
   */
  private static Optional<ObjectNode> send(Call call) throws ApiException {
    try (Response response = call.execute()) {
      if (response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.code(), response.headers().toMultimap(), body);
      }
      return Optional.of((ObjectNode) JSON.readTree(body));
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  private void ensureNamespace(String namespace) {
    CoreV1Api core = new CoreV1Api(client);
    try {
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
    } catch (ApiException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
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
    String detail = ApiErrorText.withCode(e.getCode(), e.getResponseBody(), e.getMessage());
    return new IllegalStateException("Cannot " + action + " local graph " + key.getGraphNamespace() + "/"
        + key.getGraphName() + " on the member: " + detail, e);
  }
}
