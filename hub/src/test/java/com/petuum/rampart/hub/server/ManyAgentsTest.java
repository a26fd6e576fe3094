package com.petuum.rampart.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.dispatch.WorkItem;
import com.petuum.rampart.hub.testing.CountingApplier;
import com.petuum.rampart.hub.testing.ProtocolHarness;
import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs 100 simulated agents against one hub, through a restart. */
class ManyAgentsTest {

  private static final int AGENTS = 100;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ProtocolHarness harness = new ProtocolHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void hundredAgentsGetTheirWorkAcrossRestart() throws Exception {
    harness.start();
    List<HubClient> clients = new ArrayList<>();
    List<CountingApplier> appliers = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      CountingApplier applier = new CountingApplier();
      appliers.add(applier);
      clients.add(harness.startAgent(cluster(i), applier));
    }
    await().atMost(WAIT).until(() -> harness.server.connectedAgentCount() == AGENTS);

    for (int i = 0; i < AGENTS; i++) {
      harness.dispatcher.assign(cluster(i), item(i, 1));
    }
    harness.restart();
    for (int i = 0; i < AGENTS; i++) {
      harness.dispatcher.assign(cluster(i), item(i, 2));
    }

    await().atMost(WAIT).until(() -> clients.stream().allMatch(c -> c.isConnected() && c.welcomeCount() >= 2));
    await().atMost(WAIT).until(() -> allAcknowledged());
    for (int i = 0; i < AGENTS; i++) {
      assertThat(appliers.get(i).applyCount("uid-" + i, 2)).as("agent %s", i).isEqualTo(1);
      assertThat(appliers.get(i).applyCounts().values()).as("agent %s", i).containsOnly(1);
      String ownPrefix = "uid-" + i + "@";
      assertThat(appliers.get(i).applyCounts().keySet()).as("agent %s", i).allMatch(key -> key.startsWith(ownPrefix));
    }
    assertThat(harness.members.status(cluster(0)).orElseThrow().ready().isTrue()).isTrue();
  }

  private boolean allAcknowledged() {
    for (int i = 0; i < AGENTS; i++) {
      if (harness.dispatcher.unacknowledgedCount(cluster(i)) != 0) {
        return false;
      }
    }
    return true;
  }

  private static ClusterName cluster(int index) {
    return new ClusterName("agent-" + index);
  }

  private static WorkItem item(int index, long generation) {
    return WorkItem.of(
        new WorkId("uid-" + index, "ml", "graph-" + index),
        generation,
        ByteString.copyFromUtf8("{\"agent\":" + index + ",\"generation\":" + generation + "}"));
  }
}
