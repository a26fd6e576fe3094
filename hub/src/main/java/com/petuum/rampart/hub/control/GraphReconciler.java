package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.petuum.rampart.admission.model.GraphNames;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.dispatch.WorkItem;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.ComponentStatus;
import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.GroupOutcome;
import com.petuum.rampart.scheduler.PreviousPlacement;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.mapping.InvalidManifestException;
import com.petuum.rampart.scheduler.mapping.ManifestMapper;
import com.petuum.rampart.scheduler.model.Failover;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import com.petuum.rampart.scheduler.policy.PolicyNotFoundException;
import com.petuum.rampart.scheduler.policy.PolicyResolver;
import com.petuum.rampart.scheduler.resource.ResourceList;
import io.kubernetes.client.openapi.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Brings one hub graph's placement, slices and status in line with its spec and with what the
 * agents report. Run only by the leader, one graph at a time.
 *
 * <ol>
 *   <li>A deleted graph: owe every cluster that may hold a slice its removal, wait for the
 *       acknowledgements up to {@code deletionWait}, then release the graph (naming the clusters
 *       that did not confirm in an event; they remove it when they return) and drop the
 *       finalizer.
 *   <li>Add the finalizer {@value #FINALIZER}.
 *   <li>An invalid graph: report it and change nothing on the members, so an invalid update never
 *       tears down what runs.
 *   <li>{@code spec.deploy: false}: owe every cluster the removal; the graph stays.
 *   <li>Keep the stored placement when it was made for this generation and its clusters still
 *       exist; otherwise schedule the whole graph again, preferring where it runs now.
 *   <li>Release each component whose {@code needs} are met: needs on the same cluster are left to
 *       the local controller, needs on another cluster must be reported deployed there first.
 *       Send each cluster its slice, and every other cluster that held one its removal.
 *   <li>Write the status from the placement and the agents' reports.
 * </ol>
 *
 * <p>Not thread-safe: confined to the controller's thread.
 */
final class GraphReconciler {

  static final String FINALIZER = "rampart.petuum.com/hub";

  /**
   * How long after a component is reported deployed its cluster's reservation is kept: two
   * inventory intervals of the agent (10 s each), so the reported usage counts the pods first.
   */
  static final Duration INVENTORY_SETTLE = Duration.ofSeconds(20);

  private static final Logger log = LoggerFactory.getLogger(GraphReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Next step for a graph after a reconcile: nothing to wait for (a change, a report or the
   * periodic resync brings it back), or a time after which to look again.
   */
  record Outcome(Optional<Duration> recheckAfter) {
    static final Outcome DONE = new Outcome(Optional.empty());
    /** Waiting for agents to acknowledge removals. */
    static final Outcome POLL = after(Duration.ofMillis(250));

    static Outcome after(Duration delay) {
      return new Outcome(Optional.of(delay));
    }
  }

  /** The last delivery this leader sent for one graph to one cluster: a slice's hash, or a removal. */
  private record Sent(long generation, String hash) {
    static final String REMOVAL = "removal";
  }

  private final HubObjects objects;
  private final HubCache cache;
  private final ReportedStatuses reports;
  private final Dispatcher dispatcher;
  private final Scheduler scheduler;
  private final Ledger ledger;
  private final GraphStatusBuilder statuses;
  private final GraphValidator validator = new GraphValidator();
  private final Clock clock;
  private final Duration deletionWait;
  private final ControllerMetrics metrics;
  private final WriteFence fence;
  private final Duration failoverSettle;

  /** When this replica's current term started. */
  private Instant termStart = Instant.EPOCH;

  /** The epoch of the reconcile in progress; every write checks it against the fence. */
  private Epoch epoch;

  /** Per graph UID and cluster, what was sent in the current term; cleared when a term starts. */
  private final Map<String, Map<String, Sent>> sent = new HashMap<>();

  /** Graphs whose stored placement was reserved again in the current term, cleared when a term starts. */
  private final Set<GraphKey> reservedThisTerm = new HashSet<>();

  GraphReconciler(
      HubObjects objects,
      HubCache cache,
      ReportedStatuses reports,
      Dispatcher dispatcher,
      Scheduler scheduler,
      Ledger ledger,
      Clock clock,
      Duration deletionWait,
      Duration failoverSettle,
      ControllerMetrics metrics,
      WriteFence fence) {
    this.objects = requireNonNull(objects, "objects");
    this.cache = requireNonNull(cache, "cache");
    this.reports = requireNonNull(reports, "reports");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.ledger = requireNonNull(ledger, "ledger");
    this.clock = requireNonNull(clock, "clock");
    this.statuses = new GraphStatusBuilder(clock);
    this.deletionWait = requireNonNull(deletionWait, "deletionWait");
    this.metrics = requireNonNull(metrics, "metrics");
    this.fence = requireNonNull(fence, "fence");
    this.failoverSettle = requireNonNull(failoverSettle, "failoverSettle");
  }

  /**
   * Forgets what was sent in an earlier term, so the next reconcile of each graph sends it again,
   * and starts counting failover tolerations from now.
   */
  void startTerm() {
    sent.clear();
    reservedThisTerm.clear();
    termStart = clock.instant();
  }

  /**
   * Reconciles one graph.
   *
   * @throws FencedOutException when the fence refuses a write: another replica leads now
   */
  Outcome reconcile(GraphKey key, Epoch epoch) throws ApiException {
    this.epoch = epoch;
    Optional<JsonNode> found = cache.graph(key);
    if (found.isEmpty()) {
      return Outcome.DONE;
    }
    JsonNode graph = found.get();
    String uid = graph.path("metadata").path("uid").asText();
    long generation = graph.path("metadata").path("generation").asLong(1);
    WorkId id = new WorkId(uid, key.namespace(), key.name());

    if (graph.path("metadata").hasNonNull("deletionTimestamp")) {
      return delete(key, graph, id, generation);
    }
    if (!hasFinalizer(graph)) {
      ObjectNode updated = HubCache.mutableCopy(graph);
      ArrayNode finalizers = updated.with("metadata").withArray("finalizers");
      finalizers.add(FINALIZER);
      checkFence();
      graph = objects.replaceGraph(key, updated);
      cache.written(graph);
    }

    ValidationReport report = validator.validate(graph, key.namespace());
    if (!report.isValid()) {
      String errors = report.describeErrors();
      if (writeStatus(key, graph, statuses.invalid(graph, errors))) {
        event(graph, true, "InvalidGraph", errors);
      }
      retainRunning(id, Placement.read(graph));
      return Outcome.DONE;
    }

    if (!graph.path("spec").path("deploy").asBoolean(true)) {
      return undeploy(key, graph, id, generation);
    }

    Optional<Placement> stored = Placement.read(graph);
    Failover failover = failoverSettings(key, graph);
    FailoverCheck check = stored
        .map(p -> FailoverCheck.evaluate(
            p.clusterSet(), cache.members(), failover, clock.instant(), termStart.plus(failoverSettle)))
        .orElse(FailoverCheck.NONE);
    Placement placement;
    if (stored.isPresent() && stored.get().generation() == generation && clustersExist(stored.get())
        && check.abandon().isEmpty()) {
      placement = stored.get();
      reserveStoredPlacement(key, graph, placement);
    } else {
      boolean failingOver = !check.abandon().isEmpty();
      Optional<Placement> decided = schedule(key, graph, stored, epoch, generation, check.keep(), !failingOver);
      if (decided.isEmpty() && failingOver) {
        // Nowhere to move to: the components stay where they were, and the status shows it.
        log.warn("Failover found no other cluster; keeping the placement. graph={} clusters={}", key, check.abandon());
        placement = stored.get();
      } else if (decided.isEmpty()) {
        retainRunning(id, stored);
        return Outcome.DONE;
      } else {
        placement = decided.get();
        if (failingOver) {
          event(graph, true, "FailedOver", "Member clusters " + String.join(", ", new TreeSet<>(check.abandon()))
              + " were not Ready for longer than the failover toleration; placed "
              + GraphStatusBuilder.placementMessage(placement) + ".");
        } else {
          event(graph, false, "Scheduled", "Placed " + GraphStatusBuilder.placementMessage(placement) + ".");
        }
      }
    }
    if (check.held()) {
      log.warn("Failover held: more than half of the member clusters are not Ready, so the hub itself may be cut "
          + "off. graph={}", key);
    }

    boolean deferRemovals = failover != null && failover.enabled() && failover.graceful();
    Map<String, ComponentView> views = dispatch(key, graph, id, generation, placement, deferRemovals);
    Optional<Duration> confirmLater = confirmReservations(key, placement, views, generation);
    Set<String> unready = new TreeSet<>();
    for (String cluster : placement.clusterSet()) {
      if (!memberReady(cluster)) {
        unready.add(cluster);
      }
    }
    ObjectNode status = statuses.placed(graph, placement, views, unready);
    String previousPhase = graph.path("status").path("phase").asText("");
    if (writeStatus(key, graph, status)) {
      String phase = status.path("phase").asText();
      if (!phase.equals(previousPhase) && ("Deployed".equals(phase) || phase.startsWith("Failed")
          || "DeployedWithErrors".equals(phase))) {
        event(graph, !"Deployed".equals(phase), phase,
            "Deployed".equals(phase) ? "Every component is deployed." : status.path("messages").asText());
      }
    }
    Optional<Duration> recheck = Stream.of(check.recheckAfter(), confirmLater)
        .flatMap(Optional::stream)
        .min(Duration::compareTo);
    return recheck.map(Outcome::after).orElse(Outcome.DONE);
  }

  /**
   * Returns each component's total requests over its replicas as the scheduler counts them, after
   * placement policies, which may replace a component's resources.
   *
   * @throws PolicyNotFoundException when the graph names a policy that does not exist
   */
  private static SortedMap<String, ResourceList> componentRequests(Graph model, List<PlacementPolicy> policies)
      throws PolicyNotFoundException {
    SortedMap<String, ResourceList> requests = new TreeMap<>();
    PolicyResolver.resolve(model, policies).components()
        .forEach((name, constraints) -> requests.put(name, constraints.totalRequests()));
    return requests;
  }

  /**
   * Keeps the version the clusters of the stored placement run when the current spec cannot be
   * sent to them, because it is invalid or cannot be placed. Otherwise a new leader would leave
   * the graph out of their SyncComplete and the agents would uninstall it.
   */
  private void retainRunning(WorkId id, Optional<Placement> stored) {
    stored.ifPresent(placement -> placement.clusterSet()
        .forEach(cluster -> dispatcher.retain(new ClusterName(cluster), id)));
  }

  /** Returns the graph's resolved failover settings, or null when they cannot be resolved. */
  private Failover failoverSettings(GraphKey key, JsonNode graph) {
    try {
      return PolicyResolver.resolve(ManifestMapper.toGraph(graph), policies(key)).spec().failover();
    } catch (InvalidManifestException | PolicyNotFoundException e) {
      return null;
    }
  }

  private List<PlacementPolicy> policies(GraphKey key) {
    List<PlacementPolicy> policies = new ArrayList<>();
    for (JsonNode policy : cache.policies()) {
      if (!key.namespace().equals(policy.path("metadata").path("namespace").asText())) {
        continue;
      }
      try {
        policies.add(ManifestMapper.toPlacementPolicy(policy));
      } catch (InvalidManifestException e) {
        log.warn("Skipping a PlacementPolicy the scheduler cannot read. policy={}/{} error={}",
            key.namespace(), policy.path("metadata").path("name").asText(), e.getMessage());
      }
    }
    return policies;
  }

  /**
   * Schedules the whole graph and reserves its capacity.
   *
   * @param keepReady clusters to treat as Ready although they are not, because the components
   *     there stay where they run
   * @param reportFailure whether to write Unschedulable into the status when no placement exists
   */
  private Optional<Placement> schedule(GraphKey key, JsonNode graph, Optional<Placement> stored, Epoch epoch,
      long generation, Set<String> keepReady, boolean reportFailure) throws ApiException {
    Graph model;
    try {
      model = ManifestMapper.toGraph(graph);
    } catch (InvalidManifestException e) {
      if (writeStatus(key, graph, statuses.invalid(graph, e.getMessage()))) {
        event(graph, true, "InvalidGraph", e.getMessage());
      }
      return Optional.empty();
    }
    List<MemberCluster> clusters = new ArrayList<>();
    for (JsonNode member : cache.members()) {
      try {
        clusters.add(ManifestMapper.toMemberCluster(
            keepReady.contains(member.path("metadata").path("name").asText()) ? markedReady(member) : member));
      } catch (InvalidManifestException e) {
        log.warn("Skipping a MemberCluster the scheduler cannot read. cluster={} error={}",
            member.path("metadata").path("name").asText(), e.getMessage());
      }
    }
    List<PlacementPolicy> policies = policies(key);
    Map<String, com.petuum.rampart.scheduler.model.ClusterName> previous = new HashMap<>();
    stored.ifPresent(p -> p.clusters().forEach(
        (component, cluster) -> previous.put(component, com.petuum.rampart.scheduler.model.ClusterName.of(cluster))));
    boolean running = "Deployed".equals(graph.path("status").path("phase").asText());
    ScheduleRequest request = ScheduleRequest.of(model, ClusterInventory.of(clusters))
        .withPolicies(policies)
        .withPrevious(PreviousPlacement.of(previous, running, stored.map(Placement::requests).orElse(new TreeMap<>())));
    var sample = metrics.startScheduling();
    Decision decision = scheduler.scheduleAndReserve(request, ledger);
    metrics.scheduled(sample, key, decision.schedulable());
    if (!decision.schedulable() && !reportFailure) {
      return Optional.empty();
    }
    if (!decision.schedulable()) {
      String reason = switch (decision.status()) {
        case INVALID -> "InvalidPlacement";
        case SEARCH_EXHAUSTED -> "SearchExhausted";
        default -> "Unschedulable";
      };
      String summary = decision.summary();
      String previousMessage = graph.path("status").path("messages").asText("");
      boolean changed = !summary.equals(previousMessage);
      if (writeStatus(key, graph, statuses.unschedulable(graph, reason, summary)) && changed) {
        event(graph, true, "FailedScheduling", summary);
      }
      // The hub retries an Unschedulable graph at every resync, so an unchanged reason is logged
      // at debug only. The summary spans lines, which would split the log event.
      String oneLine = summary.replaceAll("\\s*\\R\\s*", "; ");
      if (changed) {
        log.info("Graph cannot be placed. graph={} epoch={} status={} summary={}", key, epoch, decision.status(), oneLine);
      } else {
        log.debug("Graph still cannot be placed. graph={} epoch={} status={} summary={}", key, epoch, decision.status(),
            oneLine);
      }
      return Optional.empty();
    }
    TreeMap<String, String> placed = new TreeMap<>();
    TreeMap<String, String> reasons = new TreeMap<>();
    decision.placements().forEach((component, cluster) -> placed.put(component, cluster.value()));
    for (GroupOutcome group : decision.groups()) {
      String reason = group.cluster() != null
          ? "placed with " + group.components().size() + " component(s) of its group; " + group.feasibleClusters()
              + " cluster(s) could take the group"
          : "split over storage domain " + group.storageDomain();
      group.components().forEach(component -> reasons.put(component, reason));
    }
    // The next schedule of the graph gives exactly these requests back to the clusters. Without
    // them, it counts the components' current requests.
    SortedMap<String, ResourceList> requests;
    try {
      requests = componentRequests(model, policies);
    } catch (PolicyNotFoundException e) {
      log.warn("Cannot resolve the graph's requests to store with its placement. graph={} error={}", key, e.getMessage());
      requests = new TreeMap<>();
    }
    Placement placement = new Placement(epoch.value(), generation, clock.instant(), placed, reasons, requests);
    log.info("Placed graph. graph={} epoch={} generation={} placement={}", key, epoch, generation, placed);
    return Optional.of(placement);
  }

  /**
   * Decides which components are released, sends each cluster its slice and every cluster that
   * no longer hosts the graph its removal, and returns every component's view for the status.
   */
  private Map<String, ComponentView> dispatch(
      GraphKey key, JsonNode graph, WorkId id, long generation, Placement placement, boolean deferRemovals) {
    JsonNode components = graph.path("spec").path("graph").path("components");
    Map<String, ComponentStatus> reported = new HashMap<>();
    Map<String, ReportedStatus> byCluster = reports.of(id.graphUid());
    placement.clusters().forEach((component, cluster) -> {
      ReportedStatus report = byCluster.get(cluster);
      if (report != null) {
        report.status().getComponentsList().stream()
            .filter(c -> c.getName().equals(component))
            .findFirst()
            .ifPresent(c -> reported.put(component, c));
      }
    });

    // A component already sent to its cluster stays released, whatever its needs report now,
    // because needs order only the first start and a slice without the component uninstalls it.
    // The stored status carries this across leaders, whose reports start empty.
    Map<String, Boolean> released = new HashMap<>();
    JsonNode stored = graph.path("status").path("components");
    placement.clusters().forEach((component, cluster) -> {
      JsonNode entry = stored.path(component);
      if (cluster.equals(entry.path("cluster").asText()) && !ComponentView.heldBack(entry)) {
        released.put(component, true);
      }
    });
    Map<String, String> waitingFor = new HashMap<>();
    for (Iterator<String> names = components.fieldNames(); names.hasNext(); ) {
      release(names.next(), components, placement, reported, released, waitingFor, new HashSet<>());
    }

    Map<String, Set<String>> byClusterReleased = new TreeMap<>();
    for (String cluster : placement.clusterSet()) {
      byClusterReleased.put(cluster, new TreeSet<>());
    }
    placement.clusters().forEach((component, cluster) -> {
      if (released.getOrDefault(component, false)) {
        byClusterReleased.get(cluster).add(component);
      }
    });
    Map<String, Sent> sentToGraph = sent.computeIfAbsent(id.graphUid(), uid -> new HashMap<>());
    byClusterReleased.forEach((cluster, names) -> {
      if (names.isEmpty()) {
        return;
      }
      byte[] json = SliceBuilder.build(graph, names).toString().getBytes(StandardCharsets.UTF_8);
      WorkItem item = WorkItem.of(id, SliceGeneration.of(generation, names.size()), ByteString.copyFrom(json));
      Sent previous = sentToGraph.get(cluster);
      if (previous == null || previous.generation() != item.generation() || !previous.hash().equals(item.sliceHash())) {
        checkFence();
        dispatcher.assign(new ClusterName(cluster), item);
        sentToGraph.put(cluster, new Sent(item.generation(), item.sliceHash()));
        try (MDC.MDCCloseable context = MDC.putCloseable("cluster", cluster)) {
          log.info("Sent a slice. graph={} cluster={} generation={} components={}", key, cluster, item.generation(), names);
        }
      }
    });
    Map<String, ComponentView> views = new LinkedHashMap<>();
    for (Iterator<String> names = components.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String cluster = placement.clusters().get(name);
      views.put(name, view(graph, key, name, cluster, reported.get(name), byCluster.get(cluster),
          released.getOrDefault(name, false), waitingFor.get(name)));
    }

    // Graceful failover keeps what runs on clusters the graph left until the new placement is
    // deployed. Otherwise those clusters are sent the removal at once.
    boolean newPlacementDeployed = views.values().stream().allMatch(v -> v.deployedAt(generation));
    if (!deferRemovals || newPlacementDeployed) {
      for (String cluster : formerClusters(graph, id)) {
        if (!placement.clusterSet().contains(cluster)) {
          sendRemoval(key, id, cluster, generation);
        }
      }
    }
    return views;
  }

  /**
   * Decides whether a component is released: it was released before (already in
   * {@code released}), or every component it needs on its own cluster is released and every one
   * on another cluster is reported deployed there.
   */
  private static boolean release(
      String name,
      JsonNode components,
      Placement placement,
      Map<String, ComponentStatus> reported,
      Map<String, Boolean> released,
      Map<String, String> waitingFor,
      Set<String> visiting) {
    Boolean known = released.get(name);
    if (known != null) {
      return known;
    }
    if (!visiting.add(name)) {
      // Admission rejects needs cycles; a cycle here releases nothing rather than looping.
      return false;
    }
    String cluster = placement.clusters().get(name);
    List<String> missing = new ArrayList<>();
    for (JsonNode need : components.path(name).path("needs")) {
      String target = need.asText();
      String targetCluster = placement.clusters().get(target);
      boolean met;
      if (targetCluster == null) {
        met = false;
      } else if (targetCluster.equals(cluster)) {
        met = release(target, components, placement, reported, released, waitingFor, visiting);
      } else {
        ComponentStatus status = reported.get(target);
        met = status != null && ComponentView.DEPLOYED.equals(status.getPhase());
      }
      if (!met) {
        missing.add(target + (targetCluster == null || targetCluster.equals(cluster) ? "" : " on " + targetCluster));
      }
    }
    boolean result = missing.isEmpty();
    released.put(name, result);
    if (!result) {
      waitingFor.put(name, String.join(", ", missing));
    }
    return result;
  }

  private ComponentView view(
      JsonNode graph,
      GraphKey key,
      String name,
      String cluster,
      ComponentStatus reported,
      ReportedStatus report,
      boolean released,
      String waitingFor) {
    JsonNode stored = graph.path("status").path("components").path(name);
    String namespace = graph.path("spec").path("graph").path("components").path(name).path("namespace")
        .asText(GraphNames.componentNamespace(key.namespace(), key.name(), name));
    String phase;
    String message;
    long observedGeneration;
    List<String> endpoints = List.of();
    Instant observedAt = report == null ? clock.instant() : report.receivedAt();
    if (reported != null) {
      phase = reported.getPhase();
      message = reported.getMessage();
      namespace = reported.getNamespace().isEmpty() ? namespace : reported.getNamespace();
      observedGeneration = report.graphGeneration();
      endpoints = reported.getEndpointsList();
    } else if (!released) {
      phase = ComponentView.PENDING;
      message = ComponentView.waitingMessage(waitingFor);
      observedGeneration = 0;
    } else {
      phase = ComponentView.PENDING;
      message = "Sent to " + cluster + "; waiting for the agent's first report.";
      observedGeneration = 0;
    }
    if (cluster.equals(stored.path("cluster").asText()) && phase.equals(stored.path("phase").asText())
        && message.equals(stored.path("message").asText()) && observedGeneration == stored.path("observedGeneration").asLong(-1)
        && stored.hasNonNull("observedAt")) {
      try {
        observedAt = Instant.parse(stored.path("observedAt").asText());
      } catch (DateTimeParseException e) {
        // A hand-edited status; the new instant replaces it.
      }
    }
    return new ComponentView(cluster, namespace, phase, message, observedGeneration, observedAt, endpoints);
  }

  /**
   * Reserves the capacity of a placement that an earlier term decided, once per term, unless the
   * ledger already contains the graph. The earlier leader's ledger ended with its term, and the
   * members may not count the graph's pods yet, so without this a new leader could give the same
   * free capacity to another graph. {@link #confirmReservations} drops the reservation per
   * cluster as it does for a new placement, right away where the components are deployed and
   * settled.
   */
  private void reserveStoredPlacement(GraphKey key, JsonNode graph, Placement placement) {
    if (!reservedThisTerm.add(key) || ledger.snapshot().reservations().containsKey(key)) {
      return;
    }
    SortedMap<String, ResourceList> requests;
    try {
      requests = componentRequests(ManifestMapper.toGraph(graph), policies(key));
    } catch (InvalidManifestException | PolicyNotFoundException e) {
      log.warn("Cannot resolve the graph's resources, so its stored placement reserves nothing. graph={} error={}",
          key, e.getMessage());
      return;
    }
    Map<com.petuum.rampart.scheduler.model.ClusterName, ResourceList> amounts = new TreeMap<>();
    requests.forEach((name, amount) -> {
      String cluster = placement.clusters().get(name);
      if (cluster != null) {
        amounts.merge(com.petuum.rampart.scheduler.model.ClusterName.of(cluster), amount, ResourceList::plus);
      }
    });
    ledger.reserve(key, amounts);
    log.debug("Reserved a stored placement for this term. graph={} amounts={}", key, amounts);
  }

  /**
   * Drops the graph's reservation on a cluster once its components there are deployed and the
   * cluster has had time to report an inventory that counts their pods, and returns when to look
   * again for the clusters still waiting. Dropping it at the first Deployed report would let the
   * capacity be given away twice until the next inventory arrives.
   */
  private Optional<Duration> confirmReservations(
      GraphKey key, Placement placement, Map<String, ComponentView> views, long generation) {
    Instant now = clock.instant();
    Duration next = null;
    for (String cluster : placement.clusterSet()) {
      Instant settled = Instant.MIN;
      boolean allDeployed = true;
      for (Map.Entry<String, String> entry : placement.clusters().entrySet()) {
        if (!entry.getValue().equals(cluster)) {
          continue;
        }
        ComponentView view = views.get(entry.getKey());
        if (view == null || !view.deployedAt(generation)) {
          allDeployed = false;
          break;
        }
        Instant at = view.observedAt().plus(INVENTORY_SETTLE);
        settled = at.isAfter(settled) ? at : settled;
      }
      if (!allDeployed) {
        continue;
      }
      if (!now.isBefore(settled)) {
        ledger.confirm(key, com.petuum.rampart.scheduler.model.ClusterName.of(cluster));
      } else {
        Duration remaining = Duration.between(now, settled);
        next = next == null || remaining.compareTo(next) < 0 ? remaining : next;
      }
    }
    return Optional.ofNullable(next);
  }

  private Outcome undeploy(GraphKey key, JsonNode graph, WorkId id, long generation) throws ApiException {
    Set<String> waiting = removeEverywhere(key, graph, id, generation);
    ledger.release(key);
    metrics.forget(key);
    boolean finished = waiting.isEmpty();
    String previousPhase = graph.path("status").path("phase").asText("");
    if (writeStatus(key, graph, statuses.undeployed(graph, finished, waiting)) && finished
        && !"Undeployed".equals(previousPhase)) {
      event(graph, false, "Undeployed", "Every member cluster removed the graph.");
    }
    return finished ? Outcome.DONE : Outcome.POLL;
  }

  private Outcome delete(GraphKey key, JsonNode graph, WorkId id, long generation) throws ApiException {
    if (!hasFinalizer(graph)) {
      return Outcome.DONE;
    }
    Set<String> waiting = removeEverywhere(key, graph, id, generation);
    Instant deletedAt = parseInstant(graph.path("metadata").path("deletionTimestamp").asText(), clock.instant());
    boolean timedOut = !clock.instant().isBefore(deletedAt.plus(deletionWait));
    if (!waiting.isEmpty() && !timedOut) {
      writeStatus(key, graph, statuses.deleting(graph, waiting));
      return Outcome.POLL;
    }
    if (!waiting.isEmpty()) {
      String message = "Released the graph after waiting " + deletionWait.toSeconds() + " s; member clusters "
          + String.join(", ", waiting) + " did not confirm the removal and will remove it when their agents reconnect.";
      event(graph, true, "LeftoverWork", message);
      log.warn("Graph deleted with leftovers. graph={} clusters={}", key, waiting);
    }
    ObjectNode updated = HubCache.mutableCopy(graph);
    ArrayNode finalizers = updated.with("metadata").withArray("finalizers");
    for (int i = finalizers.size() - 1; i >= 0; i--) {
      if (FINALIZER.equals(finalizers.get(i).asText())) {
        finalizers.remove(i);
      }
    }
    checkFence();
    try {
      objects.replaceGraph(key, updated);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    ledger.release(key);
    metrics.forget(key);
    reports.forget(id.graphUid());
    sent.remove(id.graphUid());
    log.info("Graph removed from every member. graph={}", key);
    return Outcome.DONE;
  }

  /** Owes every cluster that may hold a slice its removal; returns those that still hold one. */
  private Set<String> removeEverywhere(GraphKey key, JsonNode graph, WorkId id, long generation) {
    Set<String> waiting = new TreeSet<>();
    for (String cluster : formerClusters(graph, id)) {
      sendRemoval(key, id, cluster, generation);
      if (dispatcher.owns(new ClusterName(cluster), id.graphUid())) {
        waiting.add(cluster);
      }
    }
    return waiting;
  }

  private void sendRemoval(GraphKey key, WorkId id, String cluster, long generation) {
    Map<String, Sent> sentToGraph = sent.computeIfAbsent(id.graphUid(), uid -> new HashMap<>());
    Sent previous = sentToGraph.get(cluster);
    long removal = SliceGeneration.removal(generation);
    if (previous != null && Sent.REMOVAL.equals(previous.hash()) && previous.generation() == removal) {
      return;
    }
    checkFence();
    dispatcher.remove(new ClusterName(cluster), id, removal);
    sentToGraph.put(cluster, new Sent(removal, Sent.REMOVAL));
    reports.removeCluster(id.graphUid(), cluster);
    try (MDC.MDCCloseable context = MDC.putCloseable("cluster", cluster)) {
      log.info("Sent a removal. graph={} cluster={} generation={}", key, cluster, removal);
    }
  }

  /**
   * Returns every cluster that may hold a slice of the graph: those this term sent one to, those
   * of the stored placement, and those its components were last reported on.
   */
  private Set<String> formerClusters(JsonNode graph, WorkId id) {
    Set<String> clusters = new TreeSet<>();
    sent.getOrDefault(id.graphUid(), Map.of()).forEach((cluster, what) -> {
      if (!Sent.REMOVAL.equals(what.hash())) {
        clusters.add(cluster);
      }
    });
    Placement.read(graph).ifPresent(p -> clusters.addAll(p.clusterSet()));
    for (JsonNode component : graph.path("status").path("components")) {
      String cluster = component.path("cluster").asText("");
      if (!cluster.isEmpty()) {
        clusters.add(cluster);
      }
    }
    clusters.addAll(reports.of(id.graphUid()).keySet());
    return clusters;
  }

  /** Returns a copy of the MemberCluster with its Ready condition set to True. */
  private static JsonNode markedReady(JsonNode member) {
    ObjectNode copy = member.deepCopy();
    ArrayNode conditions = JSON.createArrayNode();
    for (JsonNode condition : member.path("status").path("conditions")) {
      if (!"Ready".equals(condition.path("type").asText())) {
        conditions.add(condition);
      }
    }
    conditions.addObject().put("type", "Ready").put("status", "True");
    copy.with("status").set("conditions", conditions);
    return copy;
  }

  private boolean clustersExist(Placement placement) {
    Set<String> names = new HashSet<>();
    for (JsonNode member : cache.members()) {
      names.add(member.path("metadata").path("name").asText());
    }
    return names.containsAll(placement.clusterSet());
  }

  private boolean memberReady(String cluster) {
    for (JsonNode member : cache.members()) {
      if (cluster.equals(member.path("metadata").path("name").asText())) {
        for (JsonNode condition : member.path("status").path("conditions")) {
          if ("Ready".equals(condition.path("type").asText())) {
            return "True".equals(condition.path("status").asText());
          }
        }
        return false;
      }
    }
    return false;
  }

  /**
   * Writes the status when it differs from the stored one; returns whether it wrote. A conflict
   * surfaces as an ApiException with code 409, and the caller retries after the next list.
   */
  private boolean writeStatus(GraphKey key, JsonNode graph, ObjectNode status) throws ApiException {
    status.put("epoch", epoch.value());
    if (status.equals(graph.path("status"))) {
      return false;
    }
    checkFence();
    ObjectNode updated = HubCache.mutableCopy(graph);
    updated.set("status", status);
    JsonNode written = objects.replaceGraphStatus(key, updated);
    cache.written(written);
    return true;
  }

  private void checkFence() {
    if (!fence.admits(epoch)) {
      throw new FencedOutException(epoch);
    }
  }

  private void event(JsonNode graph, boolean warning, String reason, String message) {
    try {
      objects.event(graph, warning, reason, message);
    } catch (ApiException e) {
      log.warn("Cannot record an event. graph={}/{} reason={} code={}", graph.path("metadata").path("namespace").asText(),
          graph.path("metadata").path("name").asText(), reason, e.getCode());
    }
  }

  private static boolean hasFinalizer(JsonNode graph) {
    for (JsonNode finalizer : graph.path("metadata").path("finalizers")) {
      if (FINALIZER.equals(finalizer.asText())) {
        return true;
      }
    }
    return false;
  }

  private static Instant parseInstant(String text, Instant fallback) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
