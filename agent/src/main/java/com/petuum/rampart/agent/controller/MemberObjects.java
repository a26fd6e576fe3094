package com.petuum.rampart.agent.controller;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates and removes the plain Kubernetes objects a graph needs on the member: component
 * namespaces, flow volume claims and the per-component {@code /.RAMPART} ConfigMap.
 *
 * <p>Component namespaces are plain namespaces (no hierarchical-namespace controller) labelled
 * {@code controlled-by-rampart=true} and with the graph's namespace, name and component, because
 * a namespace cannot have an owner reference to a namespaced object. Deleting the namespace
 * deletes the claims and ConfigMaps in it. Thread-safe, because it keeps no state besides the client.
 */
final class MemberObjects {

  static final String CONTROLLED_LABEL = "controlled-by-rampart";
  static final String GRAPH_NAMESPACE_LABEL = "rampart.petuum.com/graph-namespace";
  static final String GRAPH_NAME_LABEL = "rampart.petuum.com/graph-name";
  static final String COMPONENT_LABEL = "rampart.petuum.com/component";
  /** Digest of the chart and values last installed in the namespace; see {@link ReleaseDigest}. */
  static final String RELEASE_DIGEST_ANNOTATION = "rampart.petuum.com/release-digest";

  private final CoreV1Api core;

  MemberObjects(CoreV1Api core) {
    this.core = core;
  }

  /**
   * Creates the component namespace, or labels an existing one that this graph created earlier.
   *
   * @throws ComponentException when the namespace exists and belongs to something else, or is
   *     being deleted (the next reconcile tries again)
   */
  V1Namespace ensureNamespace(GraphKey graph, String component, String namespace) throws ApiException, ComponentException {
    Map<String, String> labels = Map.of(
        CONTROLLED_LABEL, "true",
        GRAPH_NAMESPACE_LABEL, graph.namespace(),
        GRAPH_NAME_LABEL, graph.name(),
        COMPONENT_LABEL, component);
    Optional<V1Namespace> existing = readNamespace(namespace);
    if (existing.isEmpty()) {
      V1Namespace created = new V1Namespace().metadata(new V1ObjectMeta().name(namespace).labels(labels));
      return core.createNamespace(created).execute();
    }
    V1Namespace current = existing.get();
    if (current.getMetadata().getDeletionTimestamp() != null) {
      throw new ComponentException("namespace " + namespace + " is being deleted; the component is installed once it is gone");
    }
    Map<String, String> currentLabels = Optional.ofNullable(current.getMetadata().getLabels()).orElse(Map.of());
    if (!isOwnedBy(currentLabels, graph)) {
      throw new ComponentException("namespace " + namespace + " already exists and was not created by Rampart for graph "
          + graph + "; delete it or set the component's namespace to another name");
    }
    if (!currentLabels.entrySet().containsAll(labels.entrySet())) {
      Map<String, String> merged = new HashMap<>(currentLabels);
      merged.putAll(labels);
      current.getMetadata().setLabels(merged);
      return core.replaceNamespace(namespace, current).execute();
    }
    return current;
  }

  /** Returns the namespaces labelled as belonging to {@code graph}. */
  List<V1Namespace> namespacesOf(GraphKey graph) throws ApiException {
    String selector = GRAPH_NAMESPACE_LABEL + "=" + graph.namespace() + "," + GRAPH_NAME_LABEL + "=" + graph.name();
    return core.listNamespace().labelSelector(selector).execute().getItems();
  }

  /** Deletes the namespace; a namespace that is gone already counts as deleted. */
  void deleteNamespace(String namespace) throws ApiException {
    try {
      core.deleteNamespace(namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Stores {@code digest} on the namespace as the release last installed there. */
  void recordReleaseDigest(String namespace, String digest) throws ApiException {
    V1Namespace current = core.readNamespace(namespace).execute();
    Map<String, String> annotations = new HashMap<>(
        Optional.ofNullable(current.getMetadata().getAnnotations()).orElse(Map.of()));
    if (digest.equals(annotations.get(RELEASE_DIGEST_ANNOTATION))) {
      return;
    }
    annotations.put(RELEASE_DIGEST_ANNOTATION, digest);
    current.getMetadata().setAnnotations(annotations);
    core.replaceNamespace(namespace, current).execute();
  }

  /** Returns the release digest stored on the namespace, if any. */
  static Optional<String> releaseDigest(V1Namespace namespace) {
    return Optional.ofNullable(namespace.getMetadata().getAnnotations()).map(a -> a.get(RELEASE_DIGEST_ANNOTATION));
  }

  /**
   * Creates the claim of a flow volume in {@code namespace} unless it exists. Claims are never
   * updated: a bound claim's size and class cannot change in place.
   */
  void ensureClaim(String namespace, String claim, String size, Optional<String> storageClass) throws ApiException {
    if (exists(() -> core.readNamespacedPersistentVolumeClaim(claim, namespace).execute())) {
      return;
    }
    V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
        // Every component that uses the flow mounts the volume, possibly at the same time.
        .accessModes(List.of("ReadWriteMany"))
        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString(size))));
    storageClass.ifPresent(spec::storageClassName);
    V1PersistentVolumeClaim body = new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name(claim).namespace(namespace).labels(Map.of(CONTROLLED_LABEL, "true")))
        .spec(spec);
    createToleratingConflict(() -> core.createNamespacedPersistentVolumeClaim(namespace, body).execute());
  }

  /** Creates or updates the ConfigMap {@code name} with {@code data}. */
  void ensureConfigMap(String namespace, String name, Map<String, String> data) throws ApiException {
    Optional<V1ConfigMap> existing = read(() -> core.readNamespacedConfigMap(name, namespace).execute());
    if (existing.isEmpty()) {
      V1ConfigMap body = new V1ConfigMap()
          .metadata(new V1ObjectMeta().name(name).namespace(namespace).labels(Map.of(CONTROLLED_LABEL, "true")))
          .data(data);
      createToleratingConflict(() -> core.createNamespacedConfigMap(namespace, body).execute());
    } else if (!Objects.equals(existing.get().getData(), data)) {
      existing.get().setData(data);
      core.replaceNamespacedConfigMap(name, namespace, existing.get()).execute();
    }
  }

  /** Returns the phase of the claim, or empty when it does not exist. */
  Optional<String> claimPhase(String namespace, String claim) throws ApiException {
    return read(() -> core.readNamespacedPersistentVolumeClaim(claim, namespace).execute())
        .map(c -> c.getStatus() == null ? "Pending" : Objects.requireNonNullElse(c.getStatus().getPhase(), "Pending"));
  }

  private Optional<V1Namespace> readNamespace(String namespace) throws ApiException {
    return read(() -> core.readNamespace(namespace).execute());
  }

  private static boolean isOwnedBy(Map<String, String> labels, GraphKey graph) {
    return graph.namespace().equals(labels.get(GRAPH_NAMESPACE_LABEL)) && graph.name().equals(labels.get(GRAPH_NAME_LABEL));
  }

  private static boolean exists(ApiCall<?> call) throws ApiException {
    return read(call).isPresent();
  }

  private static <T> Optional<T> read(ApiCall<T> call) throws ApiException {
    try {
      return Optional.of(call.execute());
    } catch (ApiException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void createToleratingConflict(ApiCall<?> call) throws ApiException {
    try {
      call.execute();
    } catch (ApiException e) {
      // Another reconcile created it between the read and the create.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  /** One request to the apiserver. */
  @FunctionalInterface
  interface ApiCall<T> {
    T execute() throws ApiException;
  }
}
