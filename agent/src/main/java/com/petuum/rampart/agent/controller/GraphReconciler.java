package com.petuum.rampart.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Release;
import com.petuum.rampart.admission.model.Chart;
import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.mutation.RampartConfigMap;
import com.petuum.rampart.admission.mutation.WiredEdge;
import com.petuum.rampart.admission.rules.GraphModels;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import com.petuum.rampart.agent.helm.ChartReference;
import com.petuum.rampart.agent.helm.HelmException;
import com.petuum.rampart.agent.helm.HelmReleases;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Namespace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one RampartGraph's objects on this member in line with its spec, in the order of the
 * original Rampart controller, and writes what it observed to the graph's status.
 *
 * <ol>
 *   <li>A deleted graph: uninstall every release, delete every component namespace, then remove
 *       the finalizer.
 *   <li>A hub-owned graph whose spec differs from the one {@link HubSlices} holds: put that spec
 *       back and stop; the update event reconciles again.
 *   <li>Add the finalizer {@code rampart.petuum.com/graph}.
 *   <li>Validate graphs that users applied to the member (the hub validated its own slices).
 *   <li>{@code spec.deploy: false}: uninstall and delete everything, keep the graph.
 *   <li>Uninstall and delete the namespaces of components that are no longer in the spec.
 *   <li>Per component in {@code needs} order: namespace, flow volume claims, the {@code /.RAMPART}
 *       ConfigMap, then the Helm release {@code component} once every component it needs on this
 *       member is ready; then readiness and endpoints from its workloads.
 * </ol>
 *
 * <p>Unlike the original, it does not stop at {@code status.observedGeneration}: every reconcile
 * compares each release's chart and values digest with the one stored on its namespace, so
 * an update upgrades only the components that changed, and a removed release is reinstalled.
 *
 * <p>Not thread-safe per graph: the work queue hands a graph to one worker at a time. Different
 * graphs may be reconciled concurrently.
 */
final class GraphReconciler {

  static final String FINALIZER = "rampart.petuum.com/graph";
  static final String OWNED_BY_LABEL = "rampart.petuum.com/owned-by";
  static final String RELEASE_NAME = "component";

  private static final Logger log = LoggerFactory.getLogger(GraphReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Next step of the worker for a graph after a reconcile. */
  enum Outcome {
    /** Nothing to wait for; the next change event or resync reconciles again. */
    DONE,
    /** Workloads are starting; look again after the readiness poll interval. */
    POLL,
    /** Something failed that may pass; retry with the graph's backoff. */
    RETRY
  }

  private final GraphApi graphs;
  private final MemberObjects objects;
  private final Workloads workloads;
  private final HelmReleases helm;
  private final HubSlices hubSlices;
  private final ControllerSettings settings;
  private final GraphStatusWriter statusWriter;
  private final GraphValidator validator = new GraphValidator();

  GraphReconciler(
      GraphApi graphs,
      MemberObjects objects,
      Workloads workloads,
      HelmReleases helm,
      HubSlices hubSlices,
      ControllerSettings settings,
      Clock clock) {
    this.graphs = graphs;
    this.objects = objects;
    this.workloads = workloads;
    this.helm = helm;
    this.hubSlices = hubSlices;
    this.settings = settings;
    this.statusWriter = new GraphStatusWriter(graphs, clock);
  }

  Outcome reconcile(GraphKey key) throws ApiException {
    Optional<ObjectNode> stored = graphs.get(key);
    if (stored.isEmpty()) {
      return Outcome.DONE;
    }
    ObjectNode object = stored.get();
    JsonNode metadata = object.path("metadata");
    long generation = metadata.path("generation").asLong();

    if (metadata.hasNonNull("deletionTimestamp")) {
      return delete(key, object);
    }
    boolean hubOwned = "hub".equals(metadata.path("labels").path(OWNED_BY_LABEL).asText());
    if (hubOwned) {
      Optional<JsonNode> acknowledged = hubSlices.acknowledgedSpec(key);
      if (acknowledged.isPresent() && !acknowledged.get().equals(object.path("spec"))) {
        log.info("Reverting a local edit of a hub-owned graph. graph={} generation={}", key, generation);
        graphs.replaceSpec(key, acknowledged.get());
        return Outcome.DONE;
      }
    }
    if (!hasFinalizer(object)) {
      graphs.addFinalizer(key, object, FINALIZER);
    }

    if (!hubOwned) {
      ValidationReport report = validator.validate(object, key.namespace());
      if (!report.isValid()) {
        log.info("Graph is invalid; not deploying it. graph={} generation={} errors={}",
            key, generation, report.errors().size());
        statusWriter.writeInvalid(key, object, report.describeErrors());
        return Outcome.DONE;
      }
    }
    RampartGraph graph = GraphModels.parse(object, key.namespace());

    if (!graph.deploy()) {
      boolean finished = removeAll(key, graph);
      statusWriter.writeUndeployed(key, object, finished);
      return finished ? Outcome.DONE : Outcome.POLL;
    }
    removeDroppedComponents(key, graph);
    Map<String, ComponentStatus> components = deployComponents(key, graph, object, generation);
    statusWriter.writeDeployed(key, object, components);

    boolean anyFailed = components.values().stream().anyMatch(c -> c.phase() == ComponentPhase.FAILED);
    boolean allDeployed = components.values().stream().allMatch(c -> c.phase() == ComponentPhase.DEPLOYED);
    if (anyFailed) {
      return Outcome.RETRY;
    }
    return allDeployed ? Outcome.DONE : Outcome.POLL;
  }

  private Outcome delete(GraphKey key, ObjectNode object) throws ApiException {
    if (!hasFinalizer(object)) {
      return Outcome.DONE;
    }
    statusWriter.writePhase(key, object, "Deleting");
    RampartGraph graph = GraphModels.parse(object, key.namespace());
    if (!removeAll(key, graph)) {
      return Outcome.POLL;
    }
    graphs.removeFinalizer(key, object, FINALIZER);
    log.info("Graph deleted from this member. graph={}", key);
    return Outcome.DONE;
  }

  /**
   * Uninstalls every release of the graph, in reverse {@code needs} order, and deletes the
   * component namespaces.
   *
   * @return whether every namespace is gone; a namespace stays while Kubernetes deletes its content
   */
  private boolean removeAll(GraphKey key, RampartGraph graph) throws ApiException {
    List<V1Namespace> namespaces = new ArrayList<>(objects.namespacesOf(key));
    List<String> order = NeedsOrder.of(graph);
    namespaces.sort((a, b) -> Integer.compare(
        order.indexOf(componentOf(b)), order.indexOf(componentOf(a))));
    boolean allGone = true;
    for (V1Namespace namespace : namespaces) {
      String name = namespace.getMetadata().getName();
      allGone = false;
      if (namespace.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      uninstall(key, name);
      objects.deleteNamespace(name);
    }
    return allGone;
  }

  private void removeDroppedComponents(GraphKey key, RampartGraph graph) throws ApiException {
    Set<String> wanted = new LinkedHashSet<>();
    graph.components().values().forEach(c -> wanted.add(graph.componentNamespace(c)));
    for (V1Namespace namespace : objects.namespacesOf(key)) {
      String name = namespace.getMetadata().getName();
      if (wanted.contains(name) || namespace.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      log.info("Removing a component that left the graph. graph={} namespace={}", key, name);
      uninstall(key, name);
      objects.deleteNamespace(name);
    }
  }

  private void uninstall(GraphKey key, String namespace) throws ApiException {
    try {
      helm.uninstall(namespace, RELEASE_NAME);
    } catch (HelmException e) {
      // Deleting the namespace removes the release's namespaced objects anyway; only
      // cluster-scoped objects a chart created would be left behind.
      log.warn("Helm uninstall failed; deleting the namespace anyway. graph={} namespace={} error={}",
          key, namespace, e.getMessage());
    }
  }

  private Map<String, ComponentStatus> deployComponents(
      GraphKey key, RampartGraph graph, ObjectNode object, long generation) throws ApiException {
    Map<String, ComponentStatus> statuses = new LinkedHashMap<>();
    for (String name : NeedsOrder.of(graph)) {
      Component component = graph.components().get(name);
      String namespace = graph.componentNamespace(component);
      ComponentStatus status;
      try {
        status = deployComponent(key, graph, component, namespace, object, generation, statuses);
      } catch (ComponentException e) {
        log.warn("Component failed. graph={} component={} namespace={} error={}", key, name, namespace, e.getMessage());
        status = statusWriter.component(namespace, ComponentPhase.FAILED, e.getMessage(), generation, List.of());
      }
      statuses.put(name, status);
    }
    return statuses;
  }

  private ComponentStatus deployComponent(
      GraphKey key,
      RampartGraph graph,
      Component component,
      String namespace,
      ObjectNode object,
      long generation,
      Map<String, ComponentStatus> earlier) throws ApiException, ComponentException {
    V1Namespace namespaceObject = objects.ensureNamespace(key, component.name(), namespace);
    ComponentWiring wiring = ComponentWiring.of(graph, component.name(), ClusterFacts.withGpus(false));
    for (WiredEdge edge : wiring.edges()) {
      if (edge.claimName().isPresent()) {
        objects.ensureClaim(namespace, edge.claimName().get(), flowSize(object, edge.flow()), settings.storageClass());
      }
    }
    objects.ensureConfigMap(namespace, component.name(), RampartConfigMap.data(wiring));

    // Needs of components that run on other clusters are not in a hub slice; the hub sends a
    // slice only once those are ready.
    List<String> waitingFor = component.needs().stream()
        .filter(earlier::containsKey)
        .filter(needed -> earlier.get(needed).phase() != ComponentPhase.DEPLOYED)
        .toList();
    if (!waitingFor.isEmpty()) {
      return statusWriter.component(namespace, ComponentPhase.PENDING,
          "waiting for " + String.join(", ", waitingFor) + " to become ready", generation, List.of());
    }

    ChartReference chart = chartOf(component);
    Map<String, Object> values = ComponentValues.merge(config(object, component.name()), graph, wiring, settings.registry());
    String digest = ReleaseDigest.of(chart, values);
    if (!isInstalled(namespaceObject, namespace, digest)) {
      try {
        helm.installOrUpgrade(namespace, RELEASE_NAME, chart, values);
      } catch (HelmException e) {
        throw new ComponentException(e.getMessage() + runningReleaseNote(namespace), e);
      }
      objects.recordReleaseDigest(namespace, digest);
    }

    Workloads.Readiness readiness = workloads.readiness(namespace);
    if (readiness.failure().isPresent()) {
      return statusWriter.component(namespace, ComponentPhase.FAILED, readiness.failure().get(), generation, List.of());
    }
    List<String> endpoints = workloads.endpoints(namespace);
    if (!readiness.ready()) {
      return statusWriter.component(namespace, ComponentPhase.DEPLOYING,
          "waiting for " + String.join(", ", readiness.waitingFor()) + " to become ready", generation, endpoints);
    }
    return statusWriter.component(namespace, ComponentPhase.DEPLOYED, "", generation, endpoints);
  }

  /**
   * Returns "; revision N (CHART) keeps running" when a failed install or upgrade left an earlier
   * deployed release in {@code namespace}, so that the component's message shows the workload
   * still runs. Returns "" when no release is deployed or Helm cannot list them.
   */
  private String runningReleaseNote(String namespace) {
    try {
      return helm.find(namespace, RELEASE_NAME)
          .filter(release -> "deployed".equals(release.getStatus()))
          .map(release -> "; revision " + release.getRevision() + " (" + release.getChart() + ") keeps running")
          .orElse("");
    } catch (HelmException e) {
      log.debug("Cannot list the Helm releases to describe a failure. namespace={} error={}", namespace, e.getMessage());
      return "";
    }
  }

  private boolean isInstalled(V1Namespace namespaceObject, String namespace, String digest) throws ComponentException {
    if (!MemberObjects.releaseDigest(namespaceObject).filter(digest::equals).isPresent()) {
      return false;
    }
    try {
      Optional<Release> release = helm.find(namespace, RELEASE_NAME);
      return release.isPresent() && "deployed".equals(release.get().getStatus());
    } catch (HelmException e) {
      throw new ComponentException("cannot list the Helm releases in " + namespace + ": " + e.getMessage(), e);
    }
  }

  private static ChartReference chartOf(Component component) throws ComponentException {
    Chart chart = component.chart().orElseThrow(() -> new ComponentException("chart: missing or invalid"));
    if (!chart.repo().startsWith("http://") && !chart.repo().startsWith("https://")) {
      // NOTE: the original also accepts the name of a Secret whose url key contains the repository.
      throw new ComponentException("chart.repo: " + chart.repo()
          + " (expected: an http or https chart repository URL; repositories named by a Secret are not supported on members yet)");
    }
    return new ChartReference(chart.repo(), chart.name(), chart.version());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(ObjectNode object, String component) {
    JsonNode config = object.path("spec").path("graph").path("components").path(component).path("config");
    return config.isObject() ? JSON.convertValue(config, Map.class) : new HashMap<>();
  }

  /** Returns the flow's {@code config.size}; validation requires it for volume flows. */
  private static String flowSize(ObjectNode object, String flow) {
    String size = object.path("spec").path("graph").path("flows").path(flow).path("config").path("size").asText();
    return size.isEmpty() ? "1Gi" : size;
  }

  private static boolean hasFinalizer(JsonNode object) {
    for (JsonNode finalizer : object.path("metadata").path("finalizers")) {
      if (FINALIZER.equals(finalizer.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String componentOf(V1Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(MemberObjects.COMPONENT_LABEL, "");
  }
}
