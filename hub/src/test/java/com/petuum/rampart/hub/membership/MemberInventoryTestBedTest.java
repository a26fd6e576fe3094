package com.petuum.rampart.hub.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.identity.SecretCredentialStore;
import com.petuum.rampart.agent.inventory.KubernetesInventorySource;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.FixedLeadership;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.pki.SecretCertificateAuthorityStore;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import com.petuum.rampart.hub.testing.CountingApplier;
import com.petuum.rampart.hub.testing.ProtocolHarness;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Joins a real member (KWOK nodes) to a hub whose tokens and MemberClusters live on a real hub
 * apiserver, and checks what the hub writes into MemberCluster status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemberInventoryTestBedTest {

  private static final ClusterName MEMBER = new ClusterName("m1");
  private static final String NAMESPACE = "rampart-system";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestBed bed;
  private KubeCluster hub;
  private KubeCluster member;
  private FederationServer server;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Clock clock = Clock.systemUTC();
  private ApiClient memberClient;
  private HubAddress hubAddress;

  @BeforeAll
  void startClustersAndHub() throws Exception {
    bed =
        TestBed.builder("member-inventory")
            .hub("hub")
            .member(
                "m1",
                KwokNode.named("gpu-0")
                    .capacity(Map.of("cpu", "16", "memory", "64Gi", "nvidia.com/gpu", "4", "pods", "110"))
                    .labels(
                        Map.of(
                            "nvidia.com/gpu.product", "A100",
                            "topology.kubernetes.io/region", "us-east-1")))
            .start();
    hub = bed.cluster("hub");
    member = bed.cluster("m1");
    Path crd = Path.of(System.getProperty("rampart.repo.root"), "deploy", "hub", "crds", "memberclusters.yaml");
    hub.applyYaml(Files.readString(crd));
    hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n");
    member.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n");
    await().atMost(WAIT).until(() -> hub.kubectl("get", "memberclusters").succeeded());

    ApiClient hubClient = client(hub);
    memberClient = client(member);
    CertificateAuthority authority =
        new SecretCertificateAuthorityStore(hubClient, NAMESPACE).loadOrCreate(Duration.ofDays(365), clock);
    CertificateAuthority again =
        new SecretCertificateAuthorityStore(hubClient, NAMESPACE).loadOrCreate(Duration.ofDays(365), clock);
    assertThat(again.pin()).as("a second replica loads the stored CA").isEqualTo(authority.pin());
    HubSettings settings =
        HubSettings.defaults(List.of())
            .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5));
    server =
        FederationServer.builder(authority, authority.issueServingCertificate(List.of("127.0.0.1"), Duration.ofDays(1)), settings)
            .tokens(new SecretBootstrapTokenStore(hubClient, NAMESPACE))
            .members(new ApiserverMemberClusterStore(hubClient, "v1"))
            .leadership(FixedLeadership.leader(new Epoch(1)))
            .build()
            .start();
    hubAddress = new HubAddress("127.0.0.1", server.port());

    // The operator's step: a token Secret on the hub, then the agent's join with it.
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());
    new SecretBootstrapTokenStore(hubClient, NAMESPACE)
        .create(StoredToken.unused(token, MEMBER, clock.instant().plus(Duration.ofHours(1))));
    SecretCredentialStore credentials = new SecretCredentialStore(memberClient, NAMESPACE, "rampart-agent-identity");
    credentials.save(new Joiner(clock, "test").join(hubAddress, authority.pin(), MEMBER, token.text()));
  }

  @AfterAll
  void stopEverything() {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
    if (bed != null) {
      bed.close();
    }
  }

  private static ApiClient client(KubeCluster cluster) throws Exception {
    try (Reader reader = Files.newBufferedReader(cluster.kubeconfig())) {
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  private HubClient startAgent() {
    AgentSettings settings =
        ProtocolHarness.agentSettings(hubAddress).withInventoryInterval(Duration.ofMillis(500));
    HubClient client =
        new HubClient(
            settings,
            MEMBER,
            new SecretCredentialStore(memberClient, NAMESPACE, "rampart-agent-identity"),
            new Joiner(clock, "test"),
            new WorkStore(new CountingApplier()),
            new KubernetesInventorySource(memberClient, List.of("pulsar")),
            scheduler,
            clock,
            new Random(1));
    client.start();
    return client;
  }

  private JsonObject memberCluster() {
    KubectlResult result = hub.kubectl("get", "membercluster", MEMBER.value(), "-o", "json");
    return result.succeeded() ? new Gson().fromJson(result.stdout(), JsonObject.class) : new JsonObject();
  }

  private static String condition(JsonObject object, String type) {
    JsonObject status = object.getAsJsonObject("status");
    if (status == null || !status.has("conditions")) {
      return "";
    }
    for (JsonElement condition : status.getAsJsonArray("conditions")) {
      if (type.equals(condition.getAsJsonObject().get("type").getAsString())) {
        return condition.getAsJsonObject().get("status").getAsString();
      }
    }
    return "";
  }

  private static String quantity(JsonObject object, String kind, String resource) {
    JsonObject status = object.getAsJsonObject("status");
    if (status == null || !status.has("capacity")) {
      return "";
    }
    JsonObject values = status.getAsJsonObject("capacity").getAsJsonObject(kind);
    return values != null && values.has(resource) ? values.get(resource).getAsString() : "";
  }

  @Test
  @Order(1)
  void statusFollowsMemberNodesAndHeartbeats() {
    HubClient agent = startAgent();
    try {
      // Join and first inventory: the KWOK node's capacity, GPU model and topology.
      await().atMost(WAIT).until(() -> quantity(memberCluster(), "allocatable", "nvidia.com/gpu").equals("4"));
      JsonObject joined = memberCluster();
      assertThat(condition(joined, "Joined")).isEqualTo("True");
      assertThat(condition(joined, "Ready")).isEqualTo("True");
      assertThat(joined.getAsJsonObject("status").get("nodeCount").getAsInt()).isEqualTo(1);
      JsonArray models = joined.getAsJsonObject("status").getAsJsonArray("gpuModels");
      assertThat(models).hasSize(1);
      assertThat(models.get(0).getAsJsonObject().get("model").getAsString()).isEqualTo("A100");
      assertThat(models.get(0).getAsJsonObject().get("count").getAsInt()).isEqualTo(4);
      assertThat(quantity(joined, "allocatable", "cpu")).isEqualTo("16");
      assertThat(joined.getAsJsonObject("metadata").getAsJsonObject("labels").get("topology.rampart.petuum.com/region").getAsString())
          .isEqualTo("us-east-1");
      assertThat(joined.getAsJsonObject("status").get("agentVersion").getAsString()).isEqualTo("test");

      // A running pod's requests leave the available capacity.
      member.applyYaml(
          "apiVersion: v1\nkind: Pod\nmetadata: {name: trainer, namespace: default}\n"
              + "spec:\n  containers:\n  - name: c\n    image: busybox\n    resources:\n"
              + "      requests: {cpu: \"4\", nvidia.com/gpu: \"1\"}\n      limits: {nvidia.com/gpu: \"1\"}\n");
      await().atMost(WAIT).until(() -> quantity(memberCluster(), "available", "nvidia.com/gpu").equals("3"));
      assertThat(quantity(memberCluster(), "allocated", "cpu")).isEqualTo("4");

      // A node's capacity changes: its GPUs double.
      KubectlResult patched =
          member.kubectl(
              "patch", "node", "gpu-0", "--subresource=status", "--type=merge", "-p",
              "{\"status\":{\"capacity\":{\"nvidia.com/gpu\":\"8\"},\"allocatable\":{\"nvidia.com/gpu\":\"8\"}}}");
      assertThat(patched.succeeded()).as("kubectl patch: %s", patched.stderr()).isTrue();
      await().atMost(WAIT).until(() -> quantity(memberCluster(), "allocatable", "nvidia.com/gpu").equals("8"));
      assertThat(quantity(memberCluster(), "available", "nvidia.com/gpu")).isEqualTo("7");

      // A new node with more GPUs shows up on the hub.
      member.addNode(
          KwokNode.named("gpu-1")
              .capacity(Map.of("cpu", "32", "memory", "128Gi", "nvidia.com/gpu", "8", "pods", "110"))
              .labels(Map.of("nvidia.com/gpu.product", "A100", "topology.kubernetes.io/region", "us-east-1")));
      await().atMost(WAIT).until(() -> quantity(memberCluster(), "allocatable", "nvidia.com/gpu").equals("16"));
      JsonObject grown = memberCluster();
      assertThat(grown.getAsJsonObject("status").get("nodeCount").getAsInt()).isEqualTo(2);
      assertThat(grown.getAsJsonObject("status").getAsJsonArray("gpuModels").get(0).getAsJsonObject().get("count").getAsInt())
          .isEqualTo(16);
      assertThat(grown.getAsJsonObject("status").getAsJsonArray("freeNodeShapes")).hasSize(2);
    } finally {
      agent.close();
    }

    // Heartbeats stop: Ready turns Unknown after the 3 s grace.
    await().atMost(WAIT).until(() -> condition(memberCluster(), "Ready").equals("Unknown"));

    // The agent returns with the credentials stored in its cluster: Ready turns True again.
    HubClient returned = startAgent();
    try {
      await().atMost(WAIT).until(() -> condition(memberCluster(), "Ready").equals("True"));
      assertThat(returned.welcomeCount()).isGreaterThanOrEqualTo(1);
    } finally {
      returned.close();
    }
  }

  // Runs second: by then the hub's own monitor has made its once-per-term pass over members whose
  // agents never connected, so it cannot turn this test's member Unknown in between.
  @Test
  @Order(2)
  void markNotReadyReplacesOnlyTheReadyCondition() throws Exception {
    ClusterName absent = new ClusterName("absent-1");
    ApiserverMemberClusterStore store = new ApiserverMemberClusterStore(client(hub), "v1");
    Instant joinedAt = Instant.parse("2026-12-05T08:00:00Z");
    store.recordJoin(absent, "0.1.0", joinedAt);
    assertThat(store.markNotReady(absent, ReadyCondition.absent(joinedAt, Duration.ofSeconds(40))))
        .as("a member that was never Ready").isFalse();
    store.writeStatus(absent, new MemberStatus("0.1.0", "10.0.0.7:43122", "v1.36.3", joinedAt, Optional.empty(),
        ReadyCondition.heartbeating(joinedAt)));

    Instant markedAt = joinedAt.plusSeconds(45);
    assertThat(store.markNotReady(absent, ReadyCondition.absent(markedAt, Duration.ofSeconds(40)))).isTrue();
    assertThat(store.markNotReady(absent, ReadyCondition.absent(markedAt.plusSeconds(1), Duration.ofSeconds(40))))
        .as("already Unknown").isFalse();

    KubectlResult result = hub.kubectl("get", "membercluster", absent.value(), "-o", "json");
    assertThat(result.succeeded()).as(result.stderr()).isTrue();
    JsonObject object = new Gson().fromJson(result.stdout(), JsonObject.class);
    assertThat(condition(object, "Ready")).isEqualTo("Unknown");
    assertThat(condition(object, "Joined")).isEqualTo("True");
    JsonObject status = object.getAsJsonObject("status");
    assertThat(status.get("agentAddress").getAsString()).isEqualTo("10.0.0.7:43122");
    for (JsonElement condition : status.getAsJsonArray("conditions")) {
      JsonObject entry = condition.getAsJsonObject();
      if ("Ready".equals(entry.get("type").getAsString())) {
        assertThat(entry.get("reason").getAsString()).isEqualTo("AgentHeartbeatMissing");
        assertThat(Instant.parse(entry.get("lastTransitionTime").getAsString())).isEqualTo(markedAt);
      }
    }
  }
}
