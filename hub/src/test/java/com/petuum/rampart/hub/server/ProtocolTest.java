package com.petuum.rampart.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.dispatch.WorkItem;
import com.petuum.rampart.hub.membership.MemberStatus;
import com.petuum.rampart.hub.testing.CountingApplier;
import com.petuum.rampart.hub.testing.ProtocolHarness;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.agent.identity.HubChannels;
import com.petuum.rampart.hub.testing.RawStream;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.proto.v1.WorkStatus;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import com.petuum.rampart.agent.identity.InMemoryCredentialStore;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.hub.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProtocolTest {

  private static final ClusterName M1 = new ClusterName("m1");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ProtocolHarness harness = new ProtocolHarness();
  private final CountingApplier applier = new CountingApplier();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  private static WorkItem item(int graph, long generation) {
    return WorkItem.of(
        new WorkId("uid-" + graph, "ml", "graph-" + graph),
        generation,
        ByteString.copyFromUtf8("{\"graph\":" + graph + ",\"generation\":" + generation + "}"));
  }

  @Test
  void joinedAgentBecomesReadyWithInventory() throws Exception {
    harness.start();

    harness.startAgent(M1, applier);

    await().atMost(WAIT).until(() -> harness.members.status(M1).map(s -> s.inventory().isPresent()).orElse(false));
    MemberStatus status = harness.members.status(M1).orElseThrow();
    assertThat(status.ready().isTrue()).isTrue();
    assertThat(status.agentVersion()).isEqualTo("test");
    assertThat(status.inventory().orElseThrow().getAllocatable().getQuantitiesMap()).containsEntry("cpu", "16");
  }

  @Test
  void deliversEachSliceExactlyOnce() throws Exception {
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);

    for (int graph = 0; graph < 20; graph++) {
      harness.dispatcher.assign(M1, item(graph, 1));
    }

    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0 && applier.applyCounts().size() == 20);
    assertThat(applier.applyCounts().values()).containsOnly(1);
  }

  @Test
  void resendsWorkWhoseAcksWereLost() throws Exception {
    AtomicInteger acksToDrop = new AtomicInteger(5);
    harness.interceptor(dropAcks(acksToDrop)).start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);

    for (int graph = 0; graph < 5; graph++) {
      harness.dispatcher.assign(M1, item(graph, 1));
    }

    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0 && acksToDrop.get() <= 0);
    assertThat(acksToDrop.get()).isLessThanOrEqualTo(0);
    assertThat(applier.applyCounts()).hasSize(5);
    assertThat(applier.applyCounts().values()).containsOnly(1);
  }

  @Test
  void agentIgnoresLowerEpochAfterLeaderChange() throws Exception {
    harness.leadership.lead(5);
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);
    harness.dispatcher.assign(M1, item(1, 1));
    await().atMost(WAIT).until(() -> applier.applyCount("uid-1", 1) == 1);

    // A deposed leader with a lower epoch takes over the endpoint.
    harness.leadership.lead(3);
    harness.restart();
    harness.dispatcher.assign(M1, item(1, 2));

    await().atMost(WAIT).until(() -> client.ignoredStaleMessages() > 0);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> applier.applyCount("uid-1", 2) == 0);
    assertThat(client.highestEpoch()).isEqualTo(5);

    // A successor with a higher epoch is obeyed.
    harness.leadership.lead(7);
    harness.restart();

    await().atMost(WAIT).until(() -> applier.applyCount("uid-1", 2) == 1);
    assertThat(client.highestEpoch()).isEqualTo(7);
  }

  @Test
  void syncCompleteDropsWorkHubNoLongerLists() throws Exception {
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);
    harness.dispatcher.assign(M1, item(1, 1));
    harness.dispatcher.assign(M1, item(2, 1));
    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0 && applier.applyCounts().size() == 2);

    // A new leader whose placements list only graph 2.
    harness.dispatcher = new Dispatcher(harness.clock, harness.settings.resendAfter());
    harness.dispatcher.assign(M1, item(2, 1));
    harness.restart();

    await().atMost(WAIT).until(() -> applier.removed().contains("uid-1"));
    assertThat(applier.removed()).containsExactly("uid-1");
    assertThat(applier.applyCount("uid-2", 1)).isEqualTo(1);
  }

  @Test
  void removalReachesAgentOnce() throws Exception {
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);
    harness.dispatcher.assign(M1, item(1, 1));
    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0 && applier.applyCount("uid-1", 1) == 1);

    harness.dispatcher.remove(M1, item(1, 1).id(), 2);

    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0 && applier.removed().contains("uid-1"));
    assertThat(harness.dispatcher.owns(M1, "uid-1")).isFalse();
  }

  @Test
  void agentReconnectsAfterHubRestart() throws Exception {
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);

    harness.restart();

    await().atMost(WAIT).until(() -> client.welcomeCount() >= 2 && client.isConnected());
    assertThat(harness.server.isConnected(M1)).isTrue();
  }

  @Test
  void deletedMemberLosesItsStream() throws Exception {
    harness.start();
    HubClient client = harness.startAgent(M1, applier);
    await().atMost(WAIT).until(client::isConnected);

    harness.members.delete(M1);

    await().atMost(WAIT).until(() -> !client.isConnected() && !harness.server.isConnected(M1));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !client.isConnected());
  }

  @Test
  void silentHubStreamIsRestartedByWatchdog() throws Exception {
    // The hub never pings within the agent's watchdog period: 1 s agent interval, 3 misses,
    // while the hub pings every 10 s.
    ProtocolHarness slowHub =
        new ProtocolHarness(
            HubSettings.defaults(java.util.List.of())
                .withHeartbeat(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)));
    try {
      slowHub.start();
      HubClient client =
          slowHub.startAgent(
              M1,
              applier,
              ProtocolHarness.agentSettings(slowHub.address()),
              ProtocolHarness.fixedInventory());

      // The Welcome sets the interval to 10 s, so the watchdog waits 30 s; before the Welcome
      // arrives the 1 s interval applies. Either way the stream stays up long enough to connect.
      await().atMost(WAIT).until(client::isConnected);
      assertThat(client.welcomeCount()).isEqualTo(1);
    } finally {
      slowHub.close();
    }
  }

  @Test
  void renewIssuesNewCertificateForSameCluster() throws Exception {
    harness.start();
    AgentCredentials joined = harness.join(M1);

    AgentCredentials renewed = new Joiner(harness.clock, "test").renew(harness.address(), joined, M1);

    assertThat(ClusterName.fromCertificate(renewed.certificate())).contains(M1);
    assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(joined.certificate().getSerialNumber());
    assertThat(renewed.privateKeyPem()).isNotEqualTo(joined.privateKeyPem());
  }

  @Test
  void agentRenewsAgeingCertificate() throws Exception {
    harness.start();
    // The agent's clock runs 70 days ahead, so its 90-day certificate is in its last third.
    MutableClock agentClock = new MutableClock(Instant.now().plus(Duration.ofDays(70)));
    InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    AgentCredentials joined = harness.join(M1);
    credentials.save(joined);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    HubClient client =
        new HubClient(
            ProtocolHarness.agentSettings(harness.address()),
            M1,
            credentials,
            new Joiner(agentClock, "test"),
            new WorkStore(applier),
            ProtocolHarness.fixedInventory(),
            scheduler,
            agentClock,
            new Random(3));
    try {
      client.start();

      await().atMost(WAIT).until(client::isConnected);
      AgentCredentials renewed = credentials.load().orElseThrow();
      assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(joined.certificate().getSerialNumber());
      assertThat(ClusterName.fromCertificate(renewed.certificate())).contains(M1);
      // The renewed certificate is as old as the first one on the agent's clock, so the hourly
      // limit is what keeps the agent from renewing on every tick.
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(client::isConnected);
      assertThat(credentials.load().orElseThrow()).isEqualTo(renewed);
    } finally {
      client.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void followerAnswersNotLeader() throws Exception {
    harness.start();
    AgentCredentials credentials = harness.join(M1);
    harness.leadership.follow();

    try (RawStream stream = new RawStream(HubChannels.forConnect(harness.address(), credentials, 1 << 20))) {
      stream.send(AgentMessage.newBuilder().setHello(Hello.getDefaultInstance()).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().isOk()).isTrue();
      assertThat(stream.received).hasSize(1);
      assertThat(stream.received.get(0).getNotLeader().getLeaderAddress()).isEqualTo("127.0.0.1:1");
    }
    assertThat(harness.server.isConnected(M1)).isFalse();
  }

  @Test
  void statusOfOwnWorkReachesSinkOnly() throws Exception {
    harness.start();
    harness.dispatcher.assign(M1, item(1, 1));
    AgentCredentials credentials = harness.join(M1);

    try (RawStream stream = new RawStream(HubChannels.forConnect(harness.address(), credentials, 1 << 20))) {
      stream.send(AgentMessage.newBuilder().setHello(Hello.getDefaultInstance()).build());
      stream.send(status("uid-1", "Deployed"));
      stream.send(status("uid-of-another-cluster", "Deployed"));
      stream.send(status("uid-1", "Failed"));

      await().atMost(WAIT).until(() -> harness.statuses.size() == 2);
    }
    assertThat(harness.statuses).containsExactly("m1 uid-1 Deployed", "m1 uid-1 Failed");
  }

  private static AgentMessage status(String graphUid, String phase) {
    return AgentMessage.newBuilder()
        .setWorkStatus(
            WorkStatus.newBuilder()
                .setKey(WorkKey.newBuilder().setGraphUid(graphUid))
                .setGeneration(1)
                .setPhase(phase))
        .build();
  }

  /** Drops the first acknowledgements the hub receives, as if their responses were lost. */
  private static ServerInterceptor dropAcks(AtomicInteger remaining) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onMessage(ReqT message) {
            if (message instanceof AgentMessage agentMessage
                && agentMessage.hasAck()
                && remaining.getAndDecrement() > 0) {
              // The agent applied the slice; the hub never hears of it.
              call.request(1);
              return;
            }
            super.onMessage(message);
          }
        };
      }
    };
  }
}
