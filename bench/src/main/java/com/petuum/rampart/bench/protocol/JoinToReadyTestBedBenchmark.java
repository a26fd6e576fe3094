package com.petuum.rampart.bench.protocol;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.InMemoryCredentialStore;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.inventory.KubernetesInventorySource;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.FixedLeadership;
import com.petuum.rampart.hub.membership.ApiserverMemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.pki.SecretCertificateAuthorityStore;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures join to Ready against real apiservers from the test bed: tokens are Secrets on the
 * hub apiserver, the agent reads its inventory from a KWOK member's apiserver, and the clock
 * stops when the hub apiserver returns a MemberCluster with Ready=True and a node count. Each
 * round joins a new cluster name with the same member behind it.
 *
 * <p>Usage: {@code JoinToReadyTestBedBenchmark REPO_ROOT [ROUNDS]}, default 20 rounds after 3
 * warm-up rounds. Needs {@code -Drampart.testbed.bin=FOLDER} as the tests do.
 */
public final class JoinToReadyTestBedBenchmark {

  private static final Logger log = LoggerFactory.getLogger(JoinToReadyTestBedBenchmark.class);
  private static final int WARMUP = 3;
  private static final String NAMESPACE = "rampart-system";

  private JoinToReadyTestBedBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Clock clock = Clock.systemUTC();
    List<Double> millis = new ArrayList<>();
    List<HubClient> clients = new ArrayList<>();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    try (TestBed bed =
        TestBed.builder("join-to-ready-bench")
            .baseDirectory(Files.createTempDirectory("rampart-join-bench"))
            .hub("hub")
            .member("m1", KwokNode.named("gpu-0").capacity(Map.of("cpu", "16", "memory", "64Gi", "nvidia.com/gpu", "4")))
            .start()) {
      KubeCluster hub = bed.cluster("hub");
      hub.applyYaml(Files.readString(repoRoot.resolve("deploy/hub/crds/memberclusters.yaml")));
      hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n");
      while (!hub.kubectl("get", "memberclusters").succeeded()) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      ApiClient hubClient = client(hub);
      ApiClient memberClient = client(bed.cluster("m1"));
      CertificateAuthority authority =
          new SecretCertificateAuthorityStore(hubClient, NAMESPACE).loadOrCreate(Duration.ofDays(365), clock);
      SecretBootstrapTokenStore tokens = new SecretBootstrapTokenStore(hubClient, NAMESPACE);
      CustomObjectsApi objects = new CustomObjectsApi(hubClient);

      try (FederationServer server =
          FederationServer.builder(
                  authority,
                  authority.issueServingCertificate(List.of("127.0.0.1"), Duration.ofDays(1)),
                  HubSettings.defaults(List.of()))
              .tokens(tokens)
              .members(new ApiserverMemberClusterStore(hubClient, "v1"))
              .leadership(FixedLeadership.leader(new Epoch(1)))
              .build()
              .start()) {
        HubAddress address = new HubAddress("127.0.0.1", server.port());
        SecureRandom random = new SecureRandom();
        for (int round = 0; round < rounds + WARMUP; round++) {
          ClusterName cluster = new ClusterName("join-" + round);
          BootstrapToken token = BootstrapToken.generate(random);
          tokens.create(StoredToken.unused(token, cluster, clock.instant().plus(Duration.ofHours(1))));

          long start = System.nanoTime();
          InMemoryCredentialStore store = new InMemoryCredentialStore();
          store.save(new Joiner(clock, "bench").join(address, authority.pin(), cluster, token.text()));
          HubClient client =
              new HubClient(
                  AgentSettings.defaults(address, "bench", "v1.36.3"),
                  cluster,
                  store,
                  new Joiner(clock, "bench"),
                  new WorkStore(new NoOpApplier()),
                  new KubernetesInventorySource(memberClient, List.of()),
                  scheduler,
                  clock,
                  new Random(round));
          clients.add(client);
          client.start();
          while (!readyWithInventory(objects, cluster)) {
            TimeUnit.MILLISECONDS.sleep(5);
          }
          double elapsed = (System.nanoTime() - start) / 1e6;
          if (round >= WARMUP) {
            millis.add(elapsed);
          }
        }
      } finally {
        for (HubClient client : clients) {
          client.close();
        }
      }
    } finally {
      scheduler.shutdownNow();
    }
    Collections.sort(millis);
    log.info(
        "Join to Ready on the test bed. rounds={} p50Millis={} p90Millis={} maxMillis={}",
        millis.size(),
        String.format("%.1f", millis.get(millis.size() / 2)),
        String.format("%.1f", millis.get((int) (millis.size() * 0.9))),
        String.format("%.1f", millis.get(millis.size() - 1)));
  }

  @SuppressWarnings("unchecked")
  private static boolean readyWithInventory(CustomObjectsApi objects, ClusterName cluster) {
    Map<String, Object> object;
    try {
      object = (Map<String, Object>) objects.getClusterCustomObject(
          ApiserverMemberClusterStore.GROUP, "v1", ApiserverMemberClusterStore.PLURAL, cluster.value()).execute();
    } catch (ApiException e) {
      return false;
    }
    Object status = object.get("status");
    if (!(status instanceof Map<?, ?> statusMap) || statusMap.get("nodeCount") == null) {
      return false;
    }
    Object conditions = statusMap.get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return false;
    }
    return list.stream()
        .anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
  }

  private static ApiClient client(KubeCluster cluster) throws Exception {
    try (Reader reader = Files.newBufferedReader(cluster.kubeconfig())) {
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  /** Applies nothing; this benchmark delivers no work. */
  private static final class NoOpApplier implements SliceApplier {
    @Override
    public void apply(WorkKey key, long generation, ByteString sliceJson) {}

    @Override
    public void remove(WorkKey key) {}
  }
}
