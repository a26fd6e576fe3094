package com.petuum.rampart.bench.protocol;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.InMemoryCredentialStore;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.inventory.FixedInventorySource;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.InMemoryBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.FixedLeadership;
import com.petuum.rampart.hub.membership.InMemoryMemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.WorkKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures join to Ready: from the agent's Join call until the hub has written Ready=True and the
 * first inventory into the MemberCluster status (in-memory store). Each round creates a token,
 * joins a new cluster, starts its agent and waits. The hub and the agents share this JVM.
 *
 * <p>Usage: {@code JoinToReadyBenchmark [ROUNDS]}, default 50; the first 5 rounds warm up and are
 * not counted.
 */
public final class JoinToReadyBenchmark {

  private static final Logger log = LoggerFactory.getLogger(JoinToReadyBenchmark.class);
  private static final int WARMUP = 5;

  private JoinToReadyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Clock clock = Clock.systemUTC();
    CertificateAuthority authority = CertificateAuthority.generate("bench-ca", Duration.ofDays(1), clock);
    InMemoryBootstrapTokenStore tokens = new InMemoryBootstrapTokenStore();
    InMemoryMemberClusterStore members = new InMemoryMemberClusterStore();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    List<HubClient> clients = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    try (FederationServer server =
        FederationServer.builder(
                authority,
                authority.issueServingCertificate(List.of("127.0.0.1"), Duration.ofDays(1)),
                HubSettings.defaults(List.of()))
            .tokens(tokens)
            .members(members)
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
                new FixedInventorySource(Inventory.newBuilder().setNodeCount(1).build()),
                scheduler,
                clock,
                new Random(round));
        clients.add(client);
        client.start();
        while (!members.status(cluster).map(s -> s.ready().isTrue() && s.inventory().isPresent()).orElse(false)) {
          TimeUnit.MILLISECONDS.sleep(1);
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
      scheduler.shutdownNow();
    }
    Collections.sort(millis);
    log.info(
        "Join to Ready. rounds={} p50Millis={} p90Millis={} maxMillis={}",
        millis.size(),
        String.format("%.1f", millis.get(millis.size() / 2)),
        String.format("%.1f", millis.get((int) (millis.size() * 0.9))),
        String.format("%.1f", millis.get(millis.size() - 1)));
  }

  /** Applies nothing; this benchmark delivers no work. */
  private static final class NoOpApplier implements SliceApplier {
    @Override
    public void apply(WorkKey key, long generation, ByteString sliceJson) {}

    @Override
    public void remove(WorkKey key) {}
  }
}
