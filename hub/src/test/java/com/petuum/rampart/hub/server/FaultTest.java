package com.petuum.rampart.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.dispatch.WorkItem;
import com.petuum.rampart.hub.testing.CountingApplier;
import com.petuum.rampart.hub.testing.FaultProxy;
import com.petuum.rampart.hub.testing.ProtocolHarness;
import com.petuum.rampart.proto.identity.ClusterName;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import com.petuum.rampart.proto.v1.AgentMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivers work through a TCP proxy that delays, drops, resets and cuts the connection, and
 * checks that every slice generation the agent applied was applied exactly once and that the hub
 * ends with nothing unacknowledged.
 */
class FaultTest {

  private static final ClusterName M1 = new ClusterName("m1");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ProtocolHarness harness = new ProtocolHarness();
  private final CountingApplier applier = new CountingApplier();
  private final Map<Integer, Long> latestGeneration = new HashMap<>();
  private final Random random = new Random(11);
  private FaultProxy proxy;
  private HubClient client;

  @BeforeEach
  void startBehindProxy() throws Exception {
    // Every tenth acknowledgement is lost after the agent applied the slice, as if the hub
    // committed the work and lost the response.
    harness.interceptor(loseEveryTenthAck()).start();
    proxy = new FaultProxy(harness.port());
    HubAddress viaProxy = new HubAddress("127.0.0.1", proxy.port());
    client =
        harness.startAgent(
            M1, applier, ProtocolHarness.agentSettings(viaProxy), ProtocolHarness.fixedInventory());
    await().atMost(WAIT).until(client::isConnected);
  }

  @AfterEach
  void closeAll() {
    harness.close();
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Assigns a batch: new graphs and new generations of existing ones. */
  private void assignBatch(int size) {
    for (int i = 0; i < size; i++) {
      int graph = random.nextInt(30);
      long generation = latestGeneration.merge(graph, 1L, Long::sum);
      harness.dispatcher.assign(
          M1,
          WorkItem.of(
              new WorkId("uid-" + graph, "ml", "graph-" + graph),
              generation,
              ByteString.copyFromUtf8("{\"graph\":" + graph + ",\"generation\":" + generation + "}")));
    }
  }

  private void assertConvergedExactlyOnce() {
    await().atMost(WAIT).until(() -> harness.dispatcher.unacknowledgedCount(M1) == 0);
    assertThat(applier.applyCounts().values()).containsOnly(1);
    latestGeneration.forEach(
        (graph, generation) -> assertThat(applier.applyCount("uid-" + graph, generation)).as("uid-%s@%s", graph, generation).isEqualTo(1));
  }

  @Test
  void delayedConnectionConverges() {
    proxy.delay(150);

    assignBatch(20);

    assertConvergedExactlyOnce();
    proxy.delay(0);
  }

  @Test
  void droppedTrafficTriggersWatchdogAndConverges() {
    assignBatch(10);
    proxy.drop(true);
    assignBatch(10);

    // Three silent heartbeat intervals end the stream on the agent side.
    await().atMost(WAIT).until(() -> !client.isConnected());
    proxy.drop(false);
    proxy.cutAll();

    await().atMost(WAIT).until(client::isConnected);
    assertConvergedExactlyOnce();
  }

  @Test
  void resetConnectionsConverge() {
    for (int round = 0; round < 5; round++) {
      assignBatch(10);
      proxy.resetAll();
      long welcomes = client.welcomeCount();
      await().atMost(WAIT).until(() -> client.welcomeCount() > welcomes);
    }

    assertConvergedExactlyOnce();
  }

  @Test
  void cutConnectionsConverge() {
    for (int round = 0; round < 5; round++) {
      assignBatch(10);
      proxy.cutAll();
      long welcomes = client.welcomeCount();
      await().atMost(WAIT).until(() -> client.welcomeCount() > welcomes);
    }

    assertConvergedExactlyOnce();
  }

  @Test
  void mixedFaultsConverge() throws Exception {
    for (int round = 0; round < 8; round++) {
      assignBatch(8);
      switch (round % 4) {
        case 0 -> proxy.delay(100);
        case 1 -> {
          proxy.delay(0);
          proxy.resetAll();
        }
        case 2 -> proxy.cutAll();
        default -> harness.restart();
      }
      await().atMost(WAIT).until(client::isConnected);
    }
    proxy.delay(0);


    assertConvergedExactlyOnce();
  }

  private static ServerInterceptor loseEveryTenthAck() {
    java.util.concurrent.atomic.AtomicInteger acks = new java.util.concurrent.atomic.AtomicInteger();
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onMessage(ReqT message) {
            if (message instanceof AgentMessage agentMessage
                && agentMessage.hasAck()
                && acks.incrementAndGet() % 10 == 0) {
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
