package com.petuum.rampart.hub.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.hub.dispatch.Delivery;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.testing.MutableLeadership;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.ComponentStatus;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.proto.v1.WorkStatus;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hub's graph controller against a real hub apiserver. Member clusters are MemberCluster
 * objects with the status an agent would write; the agents' side of the stream is played by
 * taking deliveries from the dispatcher and handing reports to {@link HubGraphController#onWorkStatus},
 * which is where the gRPC endpoint hands them over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubGraphControllerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ClusterName EAST = new ClusterName("east");
  private static final ClusterName ONPREM = new ClusterName("onprem");

  private TestBed bed;
  private KubeCluster hub;
  private ApiClient client;
  private Dispatcher dispatcher;
  private MutableLeadership leadership;
  private HubGraphController controller;
  private SimpleMeterRegistry registry;
  private int namespaceCount;

  @BeforeAll
  void startHub() throws Exception {
    bed = TestBed.builder("hub-graph-controller").hub("hub").start();
    hub = bed.cluster("hub");
    Path crds = Path.of(System.getProperty("rampart.repo.root"), "deploy", "hub", "crds");
    for (String file : List.of("rampartgraphs.yaml", "memberclusters.yaml", "placementpolicies.yaml")) {
      hub.applyYaml(Files.readString(crds.resolve(file)));
    }
    await().atMost(WAIT).until(() -> hub.kubectl("get", "rampartgraphs,memberclusters,placementpolicies", "-A").succeeded());
    try (Reader reader = Files.newBufferedReader(hub.kubeconfig())) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
    member("east", "gpu: a100", "{cpu: \"64\", memory: 256Gi, nvidia.com/gpu: \"8\"}",
        "{free: {cpu: \"32\", memory: 128Gi, nvidia.com/gpu: \"4\"}, count: 2}");
    member("onprem", "kind: cpu", "{cpu: \"96\", memory: 384Gi}", "{free: {cpu: \"32\", memory: 128Gi}, count: 3}");
  }

  @BeforeEach
  void startController() {
    dispatcher = new Dispatcher(Clock.systemUTC(), Duration.ofSeconds(5));
    leadership = new MutableLeadership(1);
    registry = new SimpleMeterRegistry();
    controller = new HubGraphController(client, dispatcher, leadership,
        ControllerSettings.defaults().withDeletionWait(Duration.ofSeconds(3)).withFailoverSettle(Duration.ZERO),
        Clock.systemUTC(),
        registry);
    controller.start();
    await().atMost(WAIT).until(controller::synced);
  }

  @AfterEach
  void stopController() {
    controller.close();
  }

  @AfterAll
  void stopHub() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void crossClusterNeedWaitsForDeployment() throws Exception {
    String namespace = namespace();
    hub.applyYaml(trainServe(namespace));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "train-serve", "status").path("phase").asText()).isEqualTo("Deploying"));
    JsonNode graph = graph(namespace, "train-serve");
    assertThat(graph.path("status").path("placement").path("components").path("training").path("cluster").asText())
        .isEqualTo("east");
    assertThat(graph.path("status").path("placement").path("epoch").asLong()).isEqualTo(1);
    JsonNode trainingRequests = graph.path("status").path("placement").path("components").path("training").path("requests");
    assertThat(trainingRequests.path("cpu").asText()).isEqualTo("4");
    assertThat(trainingRequests.path("nvidia.com/gpu").asText()).isEqualTo("1");
    assertThat(graph.path("status").path("components").path("serving").path("phase").asText()).isEqualTo("Pending");
    assertThat(graph.path("status").path("components").path("serving").path("message").asText())
        .isEqualTo("Waiting for training on east to be deployed.");
    assertThat(graph.path("metadata").path("finalizers").toString()).contains(GraphReconciler.FINALIZER);

    List<Delivery.Upsert> east = upserts(EAST, namespace);
    assertThat(east).hasSize(1);
    JsonNode eastSlice = slice(east.get(0));
    assertThat(eastSlice.path("spec").path("graph").path("components").fieldNames()).toIterable().containsExactly("training");
    assertThat(eastSlice.path("spec").path("graph").path("flows").has("models")).isTrue();
    assertThat(upserts(ONPREM, namespace)).isEmpty();

    report(EAST, east.get(0), "training", "Deployed");

    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(ONPREM, namespace)).hasSize(1));
    Delivery.Upsert onprem = lastUpsert;
    JsonNode servingSlice = slice(onprem);
    assertThat(servingSlice.path("spec").path("graph").path("components").fieldNames()).toIterable().containsExactly("serving");
    assertThat(servingSlice.path("spec").path("graph").path("components").path("serving").has("needs")).isFalse();
    assertThat(servingSlice.path("spec").path("graph").path("components").path("serving").has("placement")).isFalse();

    report(ONPREM, onprem, "serving", "Deployed");

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "train-serve", "status");
      assertThat(status.path("phase").asText()).isEqualTo("Deployed");
      assertThat(condition(status, "Ready")).isEqualTo("True");
      assertThat(condition(status, "Degraded")).isEqualTo("False");
      assertThat(status.path("summary").path("clusters").asText()).isEqualTo("east,onprem");
      assertThat(status.path("summary").path("ready").asText()).isEqualTo("2/2");
      assertThat(status.path("flows").path("models").path("backing").asText()).isEqualTo("remote");
      assertThat(status.path("components").path("serving").path("observedGeneration").asLong()).isEqualTo(1);
    });
  }

  @Test
  void newLeaderKeepsReleasedComponents() throws Exception {
    String namespace = namespace();
    hub.applyYaml(trainServe(namespace));
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(EAST, namespace)).hasSize(1));
    report(EAST, lastUpsert, "training", "Deployed");
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(ONPREM, namespace)).hasSize(1));
    report(ONPREM, lastUpsert, "serving", "Deployed");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "train-serve", "status").path("phase").asText()).isEqualTo("Deployed"));

    // Another replica takes over. No agent has reported to it when it syncs its term, and right
    // after that each agent receives the full set of slices it should hold.
    replaceController(2);

    List<Delivery.Upsert> onprem = upserts(ONPREM, namespace);
    assertThat(onprem).hasSize(1);
    assertThat(slice(onprem.get(0)).path("spec").path("graph").path("components").fieldNames()).toIterable()
        .containsExactly("serving");
    assertThat(field(namespace, "train-serve", "status").path("components").path("serving").path("message").asText())
        .isEqualTo("Sent to onprem; waiting for the agent's first report.");

    // The need stops being deployed, as during a failed upgrade, and serving stays in its slice.
    List<Delivery.Upsert> east = upserts(EAST, namespace);
    assertThat(east).hasSize(1);
    report(EAST, east.get(0), "training", "Failed");
    await().atMost(WAIT).untilAsserted(() -> assertThat(field(namespace, "train-serve", "status")
        .path("components").path("training").path("phase").asText()).isEqualTo("Failed"));
    for (Delivery.Upsert upsert : upserts(ONPREM, namespace)) {
      assertThat(slice(upsert).path("spec").path("graph").path("components").fieldNames()).toIterable()
          .containsExactly("serving");
    }
  }

  @Test
  void unplaceableUpdateKeepsRunningVersion() throws Exception {
    String namespace = namespace();
    hub.applyYaml(pinnedGraph(namespace, "web", "east", ""));
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(EAST, namespace)).hasSize(1));
    report(EAST, lastUpsert, "web", "Deployed");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "web", "status").path("phase").asText()).isEqualTo("Deployed"));

    // An update that no cluster can take: 1000 CPUs.
    hub.applyYaml(pinnedGraph(namespace, "web", "east", "").replace("cpu: \"1\"", "cpu: \"1000\""));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "web", "status").path("phase").asText()).isEqualTo("Unschedulable"));
    JsonNode status = field(namespace, "web", "status");
    assertThat(status.path("placement").path("components").path("web").path("cluster").asText()).isEqualTo("east");
    assertThat(status.path("summary").path("clusters").asText()).isEqualTo("east");
    assertThat(status.path("components").path("web").path("phase").asText()).isEqualTo("Deployed");
    assertThat(upserts(EAST, namespace)).as("nothing of the update goes to east").isEmpty();

    // A new leader still counts the running version among the slices east should hold.
    replaceController(2);

    assertThat(dispatcher.desiredIds(EAST)).filteredOn(id -> id.namespace().equals(namespace))
        .extracting(WorkId::name).containsExactly("web");
    assertThat(upserts(EAST, namespace)).isEmpty();
    assertThat(field(namespace, "web", "status").path("placement").path("components").path("web").path("cluster")
        .asText()).isEqualTo("east");
    hub.kubectl("delete", "rampartgraph", "web", "-n", namespace, "--wait=false");
  }

  @Test
  void newLeaderKeepsCapacityOfUndeployedPlacements() {
    String namespace = namespace();
    member("spare", "pool: spare", "{cpu: \"16\", memory: 64Gi, nvidia.com/gpu: \"4\"}",
        "{free: {cpu: \"16\", memory: 64Gi, nvidia.com/gpu: \"4\"}, count: 1}");
    try {
      hub.applyYaml(spareGraph(namespace, "first"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(
          field(namespace, "first", "status").path("placement").path("components").path("trainer").path("cluster")
              .asText()).isEqualTo("spare"));

      // The leader ends before the member reports the pods, and another replica takes over with
      // an empty ledger of its own.
      replaceController(2);
      hub.applyYaml(spareGraph(namespace, "second"));

      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode status = field(namespace, "second", "status");
        assertThat(status.path("phase").asText()).isEqualTo("Unschedulable");
        assertThat(status.path("messages").asText()).contains("nvidia.com/gpu");
      });
      assertThat(field(namespace, "first", "status").path("placement").path("epoch").asLong()).isEqualTo(1);
    } finally {
      hub.kubectl("delete", "rampartgraphs", "--all", "-n", namespace, "--wait=false");
      hub.kubectl("delete", "membercluster", "spare", "--wait=false");
    }
  }

  @Test
  void unschedulableGraphIsPlacedOnceCapacityArrives() {
    String namespace = namespace();
    hub.applyYaml(gpuGraph(namespace, "big", 6));

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "big", "status");
      assertThat(status.path("phase").asText()).isEqualTo("Unschedulable");
      assertThat(condition(status, "Scheduled")).isEqualTo("False");
      assertThat(status.path("messages").asText()).contains("6 nvidia.com/gpu on one node");
    });
    assertThat(upserts(EAST, namespace)).isEmpty();
    assertThat(registry.get("rampart_unschedulable_graphs").gauge().value()).isEqualTo(1);
    assertThat(registry.get("rampart_scheduling_duration").timer().count()).isGreaterThanOrEqualTo(1);

    member("east", "gpu: a100", "{cpu: \"64\", memory: 256Gi, nvidia.com/gpu: \"8\"}",
        "{free: {cpu: \"64\", memory: 256Gi, nvidia.com/gpu: \"8\"}, count: 1}");

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "big", "status");
      assertThat(status.path("phase").asText()).isEqualTo("Deploying");
      assertThat(status.path("placement").path("components").path("trainer").path("cluster").asText()).isEqualTo("east");
    });
    assertThat(registry.get("rampart_unschedulable_graphs").gauge().value()).isZero();
    member("east", "gpu: a100", "{cpu: \"64\", memory: 256Gi, nvidia.com/gpu: \"8\"}",
        "{free: {cpu: \"32\", memory: 128Gi, nvidia.com/gpu: \"4\"}, count: 2}");
    hub.kubectl("delete", "rampartgraph", "big", "-n", namespace, "--wait=false");
  }

  @Test
  void deletionReleasesAfterSilentMemberWait() {
    String namespace = namespace();
    hub.applyYaml(gpuGraph(namespace, "silent", 1));
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(EAST, namespace)).hasSize(1));
    String uid = graph(namespace, "silent").path("metadata").path("uid").asText();

    assertThat(hub.kubectl("delete", "rampartgraph", "silent", "-n", namespace, "--wait=false").succeeded()).isTrue();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(hub.kubectl("get", "rampartgraph", "silent", "-n", namespace).stderr()).contains("NotFound"));
    assertThat(hub.kubectl("get", "events", "-n", namespace, "--field-selector", "reason=LeftoverWork",
        "-o", "jsonpath={.items[*].message}").stdout()).contains("east did not confirm the removal");
    // The removal stays owed, so the agent removes the graph when it comes back.
    assertThat(dispatcher.owns(EAST, uid)).isTrue();
  }

  @Test
  void acknowledgedRemovalReleasesTheGraphAtOnce() {
    String namespace = namespace();
    hub.applyYaml(gpuGraph(namespace, "acked", 1));
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(EAST, namespace)).hasSize(1));
    String uid = graph(namespace, "acked").path("metadata").path("uid").asText();

    assertThat(hub.kubectl("delete", "rampartgraph", "acked", "-n", namespace, "--wait=false").succeeded()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> {
      List<Delivery> due = dispatcher.takeDue(EAST).stream()
          .filter(delivery -> delivery.id().namespace().equals(namespace)).toList();
      assertThat(due).hasSize(1).first().isInstanceOf(Delivery.Removal.class);
      dispatcher.acknowledge(EAST, uid, due.get(0).generation());
    });

    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(hub.kubectl("get", "rampartgraph", "acked", "-n", namespace).stderr()).contains("NotFound"));
    assertThat(dispatcher.owns(EAST, uid)).isFalse();
  }

  @Test
  void followerDecidesNothingAndGatesTheAgentEndpoint() {
    leadership.follow();
    await().atMost(WAIT).until(() -> !controller.synced());
    assertThat(controller.gatedLeadership().currentEpoch()).isEmpty();
    String namespace = namespace();
    hub.applyYaml(gpuGraph(namespace, "waiting", 1));

    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(graph(namespace, "waiting").path("status").path("phase").isMissingNode()).isTrue());

    leadership.lead(2);
    await().atMost(WAIT).until(controller::synced);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "waiting", "status");
      assertThat(status.path("phase").asText()).isEqualTo("Deploying");
      assertThat(status.path("placement").path("epoch").asLong()).isEqualTo(2);
    });
  }

  @Test
  void failoverLeavesSilentClusterAfterToleration() {
    member("fo-a", "pool: failover", "{cpu: \"16\", memory: 64Gi}", "{free: {cpu: \"16\", memory: 64Gi}, count: 1}");
    member("fo-b", "pool: failover", "{cpu: \"16\", memory: 64Gi}", "{free: {cpu: \"16\", memory: 64Gi}, count: 1}");
    String namespace = namespace();
    hub.applyYaml(pinnedGraph(namespace, "mover", "fo-a, fo-b", "failover: {enabled: true, tolerationSeconds: 2, mode: Graceful}"));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "mover", "status").path("placement").path("components").path("web").path("cluster")
            .asText()).isIn("fo-a", "fo-b"));
    String first = field(namespace, "mover", "status").path("placement").path("components").path("web").path("cluster").asText();
    String second = first.equals("fo-a") ? "fo-b" : "fo-a";
    ClusterName firstCluster = new ClusterName(first);
    ClusterName secondCluster = new ClusterName(second);
    assertThat(upserts(firstCluster, namespace)).hasSize(1);

    notReady(first);

    await().atMost(WAIT).untilAsserted(() -> assertThat(
        field(namespace, "mover", "status").path("placement").path("components").path("web").path("cluster").asText())
        .isEqualTo(second));
    assertThat(hub.kubectl("get", "events", "-n", namespace, "--field-selector", "reason=FailedOver",
        "-o", "jsonpath={.items[*].message}").stdout()).contains(first + " were not Ready");
    await().atMost(WAIT).untilAsserted(() -> assertThat(upserts(secondCluster, namespace)).hasSize(1));
    // Graceful: the silent cluster keeps its slice until the new placement is deployed.
    assertThat(dispatcher.takeDue(firstCluster).stream().filter(d -> d.id().namespace().equals(namespace)))
        .noneMatch(d -> d instanceof Delivery.Removal);

    report(secondCluster, lastUpsert, "web", "Deployed");

    await().atMost(WAIT).untilAsserted(() -> assertThat(dispatcher.takeDue(firstCluster).stream()
        .filter(d -> d.id().namespace().equals(namespace))).anyMatch(d -> d instanceof Delivery.Removal));
    ready(first);
  }

  @Test
  void withoutFailoverComponentsStayOnASilentCluster() {
    member("st-a", "pool: stay", "{cpu: \"16\", memory: 64Gi}", "{free: {cpu: \"16\", memory: 64Gi}, count: 1}");
    member("st-b", "pool: stay", "{cpu: \"16\", memory: 64Gi}", "{free: {cpu: \"16\", memory: 64Gi}, count: 1}");
    String namespace = namespace();
    hub.applyYaml(pinnedGraph(namespace, "stayer", "st-a, st-b", "failover: {enabled: false}"));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(field(namespace, "stayer", "status").path("phase").asText()).isEqualTo("Deploying"));
    String cluster = field(namespace, "stayer", "status").path("placement").path("components").path("web")
        .path("cluster").asText();

    notReady(cluster);

    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "stayer", "status");
      assertThat(condition(status, "Degraded")).isEqualTo("True");
      assertThat(status.path("conditions").toString()).contains("ClusterNotReady");
    });
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        field(namespace, "stayer", "status").path("placement").path("components").path("web").path("cluster").asText())
        .isEqualTo(cluster));
    ready(cluster);
  }

  @Test
  void fencedReplicaWritesNothing() {
    controller.close();
    java.util.concurrent.atomic.AtomicBoolean admit = new java.util.concurrent.atomic.AtomicBoolean(true);
    controller = new HubGraphController(client, dispatcher, leadership, epoch -> admit.get(),
        ControllerSettings.defaults(), Clock.systemUTC(), registry);
    controller.start();
    await().atMost(WAIT).until(controller::synced);
    admit.set(false);
    String namespace = namespace();

    hub.applyYaml(gpuGraph(namespace, "fenced", 1));

    await().atMost(WAIT).untilAsserted(() -> {
      var fenced = registry.find("rampart_fenced_writes").counter();
      assertThat(fenced).isNotNull();
      assertThat(fenced.count()).isGreaterThanOrEqualTo(1);
    });
    assertThat(controller.synced()).isFalse();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      JsonNode graph = graph(namespace, "fenced");
      assertThat(graph.path("status").isMissingNode()).isTrue();
      assertThat(graph.path("metadata").path("finalizers").isMissingNode()).isTrue();
    });
    assertThat(upserts(EAST, namespace)).isEmpty();

    leadership.lead(5);
    admit.set(true);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = field(namespace, "fenced", "status");
      assertThat(status.path("epoch").asLong()).isEqualTo(5);
      assertThat(status.path("phase").asText()).isEqualTo("Deploying");
    });
  }

  private void notReady(String cluster) {
    setReady(cluster, "False", "2026-01-01T00:00:00Z");
  }

  private void ready(String cluster) {
    setReady(cluster, "True", "2026-01-01T00:00:00Z");
  }

  private void setReady(String cluster, String status, String since) {
    String patch = "{\"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"" + status
        + "\", \"reason\": \"Test\", \"message\": \"\", \"lastTransitionTime\": \"" + since + "\"}]}}";
    assertThat(hub.kubectl("patch", "membercluster", cluster, "--subresource=status", "--type=merge", "-p", patch)
        .succeeded()).isTrue();
  }

  private static String pinnedGraph(String namespace, String name, String clusters, String failover) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: %s, namespace: %s}
        spec:
          placement:
            clusterAffinity: {clusterNames: [%s]}
            %s
          graph:
            components:
              web:
                chart: {repo: "http://127.0.0.1:8879/charts", name: serving, version: 0.1.0}
                config: {}
                inputs: {}
                outputs: {}
                resources: [{count: 1, requests: {cpu: "1", memory: 1Gi}}]
            flows: {}
        """.formatted(name, namespace, clusters, failover);
  }

  /** Closes the controller and starts another at {@code epoch}, with a dispatcher of its own, as a new leader. */
  private void replaceController(long epoch) {
    controller.close();
    dispatcher = new Dispatcher(Clock.systemUTC(), Duration.ofSeconds(5));
    leadership = new MutableLeadership(epoch);
    controller = new HubGraphController(client, dispatcher, leadership,
        ControllerSettings.defaults().withDeletionWait(Duration.ofSeconds(3)).withFailoverSettle(Duration.ZERO),
        Clock.systemUTC(), registry);
    controller.start();
    await().atMost(WAIT).until(controller::synced);
  }

  private Delivery.Upsert lastUpsert;
  private final java.util.Map<ClusterName, List<Delivery>> owed = new java.util.HashMap<>();

  /**
   * Takes what is due for the cluster, as the gRPC stream would, and returns the upserts of graphs
   * in {@code namespace}; each test has a namespace of its own.
   */
  private List<Delivery.Upsert> upserts(ClusterName cluster, String namespace) {
    List<Delivery.Upsert> upserts = new ArrayList<>();
    for (Delivery delivery : owed.computeIfAbsent(cluster, c -> new ArrayList<>())) {
      if (delivery instanceof Delivery.Upsert upsert && upsert.id().namespace().equals(namespace)) {
        upserts.add(upsert);
        lastUpsert = upsert;
      }
    }
    for (Delivery delivery : dispatcher.takeDue(cluster)) {
      if (!delivery.id().namespace().equals(namespace)) {
        owed.get(cluster).add(delivery);
      } else if (delivery instanceof Delivery.Upsert upsert) {
        upserts.add(upsert);
        lastUpsert = upsert;
      }
    }
    return upserts;
  }

  private void report(ClusterName cluster, Delivery.Upsert upsert, String component, String phase) {
    dispatcher.acknowledge(cluster, upsert.id().graphUid(), upsert.generation());
    controller.onWorkStatus(cluster, WorkStatus.newBuilder()
        .setKey(WorkKey.newBuilder().setGraphUid(upsert.id().graphUid())
            .setGraphNamespace(upsert.id().namespace()).setGraphName(upsert.id().name()))
        .setGeneration(upsert.generation())
        .setPhase(phase)
        .addComponents(ComponentStatus.newBuilder().setName(component).setPhase(phase)
            .setNamespace(upsert.id().namespace() + "-" + upsert.id().name() + "-" + component))
        .build());
  }

  private static JsonNode slice(Delivery.Upsert upsert) throws Exception {
    return JSON.readTree(upsert.item().sliceJson().toByteArray());
  }

  private void member(String name, String label, String allocatable, String shape) {
    hub.applyYaml("""
        apiVersion: rampart.petuum.com/v1
        kind: MemberCluster
        metadata:
          name: %s
          labels: {%s}
        spec: {}
        """.formatted(name, label));
    String status = """
        {"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "AgentConnected", "message": "",
          "lastTransitionTime": "2026-01-01T00:00:00Z"}],
         "capacity": {"allocatable": %1$s, "available": %1$s}, "nodeCount": 2, "freeNodeShapes": [%2$s]}}
        """.formatted(yamlToJson(allocatable), yamlToJson(shape));
    assertThat(hub.kubectl("patch", "membercluster", name, "--subresource=status", "--type=merge", "-p", status)
        .succeeded()).isTrue();
  }

  /** Turns the flow-style YAML maps of this test into JSON. */
  private static String yamlToJson(String flow) {
    try {
      return new ObjectMapper().writeValueAsString(
          new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(flow));
    } catch (Exception e) {
      throw new IllegalArgumentException(flow, e);
    }
  }

  private String namespace() {
    String namespace = "graphs-" + (++namespaceCount);
    hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + namespace + "}\n");
    return namespace;
  }

  private JsonNode graph(String namespace, String name) {
    return hub.api().get("/apis/rampart.petuum.com/v1/namespaces/" + namespace + "/rampartgraphs/" + name).body();
  }

  private JsonNode field(String namespace, String name, String field) {
    return graph(namespace, name).path(field);
  }

  private static String condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path("status").asText();
      }
    }
    return "";
  }

  private static String trainServe(String namespace) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: train-serve, namespace: %s}
        spec:
          graph:
            components:
              training:
                chart: {repo: "http://127.0.0.1:8879/charts", name: batch-executor, version: 0.6.1}
                config: {}
                inputs: {}
                outputs:
                  model: {type: repository, flow: models}
                resources: [{count: 1, requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}}]
              serving:
                chart: {repo: "http://127.0.0.1:8879/charts", name: serving, version: 0.1.0}
                config: {}
                needs: [training]
                inputs:
                  model: {type: repository, flow: models}
                outputs: {}
                resources: [{count: 1, requests: {cpu: 500m, memory: 1Gi}}]
                placement: {clusterAffinity: {clusterNames: [onprem]}}
            flows:
              models: {type: repository, config: {kind: git, size: 1Gi, remote: "https://git.example/models.git"}}
        """.formatted(namespace);
  }

  /**
   * Returns a graph that needs every GPU of the member "spare" and may run nowhere else. Its
   * component declares no GPU itself, because a component rule of its placement replaces the
   * resources. So a reservation counts only if it resolves the placement as the scheduler does.
   */
  private static String spareGraph(String namespace, String name) {
    return gpuGraph(namespace, name, 0).replace("spec:\n", """
        spec:
          placement:
            clusterAffinity: {clusterNames: [spare]}
            componentRules:
              - match: {componentNames: [trainer]}
                resources: [{count: 1, requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "4"}}]
        """);
  }

  private static String gpuGraph(String namespace, String name, int gpus) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: %s, namespace: %s}
        spec:
          graph:
            components:
              trainer:
                chart: {repo: "http://127.0.0.1:8879/charts", name: batch-executor, version: 0.6.1}
                config: {}
                inputs: {}
                outputs: {}
                resources: [{count: 1, requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "%d"}}]
            flows: {}
        """.formatted(name, namespace, gpus);
  }
}
