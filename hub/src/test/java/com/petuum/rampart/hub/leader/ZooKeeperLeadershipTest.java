package com.petuum.rampart.hub.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.petuum.rampart.testbed.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperLeadershipTest {

  private static final Duration WATCHDOG = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path folder;

  private EmbeddedZooKeeper zooKeeper;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() {
    zooKeeper = EmbeddedZooKeeper.start(folder.resolve("zk"));
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    zooKeeper.close();
  }

  /** A replica: its own Curator client and leadership, with the events it heard. */
  private record Replica(CuratorFramework client, ZooKeeperLeadership leadership, List<String> events) {}

  private Replica replica(String address) {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(zooKeeper.connectString())
        .sessionTimeoutMs(3_000)
        .connectionTimeoutMs(2_000)
        .retryPolicy(new RetryForever(100))
        .build();
    client.start();
    toClose.add(client);
    ZooKeeperLeadership leadership = new ZooKeeperLeadership(client, "/rampart/hub", address, WATCHDOG);
    List<String> events = new CopyOnWriteArrayList<>();
    leadership.addListener(new LeadershipListener() {
      @Override
      public void leadershipAcquired(Epoch epoch) {
        events.add("acquired " + epoch);
      }

      @Override
      public void leadershipLost(Epoch epoch) {
        events.add("lost " + epoch);
      }
    });
    toClose.add(leadership);
    leadership.start();
    return new Replica(client, leadership, events);
  }

  @Test
  void singleReplicaLeadsWithEpochOne() {
    Replica hub = replica("hub-0:7443");

    await().atMost(WAIT).until(() -> hub.leadership().isLeader());

    assertThat(hub.leadership().currentEpoch()).contains(new Epoch(1));
    assertThat(hub.leadership().leaderAddress()).contains("hub-0:7443");
    assertThat(hub.events()).containsExactly("acquired 1");
  }

  @Test
  void followerReportsLeaderAddress() {
    Replica first = replica("hub-0:7443");
    await().atMost(WAIT).until(() -> first.leadership().isLeader());

    Replica second = replica("hub-1:7443");

    await().atMost(WAIT).until(() -> second.leadership().leaderAddress().equals(Optional.of("hub-0:7443")));
    assertThat(second.leadership().isLeader()).isFalse();
    assertThat(second.leadership().currentEpoch()).isEmpty();
  }

  @Test
  void closedLeaderIsReplacedWithHigherEpoch() {
    Replica first = replica("hub-0:7443");
    await().atMost(WAIT).until(() -> first.leadership().isLeader());
    Replica second = replica("hub-1:7443");

    first.leadership().close();

    await().atMost(WAIT).until(() -> second.leadership().isLeader());
    assertThat(second.leadership().currentEpoch()).contains(new Epoch(2));
    assertThat(first.leadership().currentEpoch()).isEmpty();
    await().atMost(WAIT).untilAsserted(() -> assertThat(first.events()).containsExactly("acquired 1", "lost 1"));
  }

  @Test
  void suspendedConnectionEndsLeadershipBeforeSessionExpires() throws Exception {
    Replica hub = replica("hub-0:7443");
    await().atMost(WAIT).until(() -> hub.leadership().isLeader());

    zooKeeper.stop();

    // The 3 s session has not expired yet when the connection is SUSPENDED.
    await().atMost(Duration.ofSeconds(2)).until(() -> hub.leadership().currentEpoch().isEmpty());
    await().atMost(WAIT).untilAsserted(() -> assertThat(hub.events()).containsExactly("acquired 1", "lost 1"));

    zooKeeper.restart();

    // After reconnecting, the replica runs for a new term with a new epoch.
    await().atMost(WAIT).until(() -> hub.leadership().isLeader());
    assertThat(hub.leadership().currentEpoch().orElseThrow().value()).isGreaterThan(1);
  }

  @Test
  void repeatedTakeoversGetIncreasingUniqueEpochs() throws Exception {
    List<Long> epochs = new ArrayList<>();
    Replica standby = replica("hub-standby:7443");
    for (int round = 0; round < 5; round++) {
      Replica leader = replica("hub-" + round + ":7443");
      await().atMost(WAIT).until(() -> leader.leadership().isLeader() || standby.leadership().isLeader());
      Replica current = leader.leadership().isLeader() ? leader : standby;
      epochs.add(current.leadership().currentEpoch().orElseThrow().value());
      if (current == leader) {
        leader.leadership().close();
      } else {
        // The standby leads: hand over by closing it and starting a new standby.
        standby.leadership().close();
        break;
      }
    }

    assertThat(epochs).isSorted().doesNotHaveDuplicates();
    assertThat(standby.leadership().fence().current().value()).isGreaterThanOrEqualTo(epochs.get(epochs.size() - 1));
  }

  @Test
  void staleEpochIsNotCurrentAfterTakeover() throws Exception {
    Replica first = replica("hub-0:7443");
    await().atMost(WAIT).until(() -> first.leadership().isLeader());
    Epoch firstEpoch = first.leadership().currentEpoch().orElseThrow();
    Replica second = replica("hub-1:7443");

    first.leadership().close();
    await().atMost(WAIT).until(() -> second.leadership().isLeader());

    assertThat(second.leadership().fence().isCurrent(firstEpoch)).isFalse();
    assertThat(second.leadership().fence().isCurrent(second.leadership().currentEpoch().orElseThrow())).isTrue();
  }

  @Test
  void watchdogRejoinsWhenLatchNodeVanishes() throws Exception {
    Replica first = replica("hub-0:7443");
    await().atMost(WAIT).until(() -> first.leadership().isLeader());
    Replica second = replica("hub-1:7443");
    await().atMost(WAIT).until(() -> participants(first.client()).size() == 2);

    // Remove the follower's latch node behind its back, as a lost reconnect could.
    for (String child : first.client().getChildren().forPath("/rampart/hub/leader")) {
      byte[] data = first.client().getData().forPath("/rampart/hub/leader/" + child);
      if (new String(data, java.nio.charset.StandardCharsets.UTF_8).equals("hub-1:7443")) {
        first.client().delete().forPath("/rampart/hub/leader/" + child);
      }
    }
    assertThat(participants(first.client())).containsExactly("hub-0:7443");

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(participants(first.client())).containsExactlyInAnyOrder("hub-0:7443", "hub-1:7443"));
    assertThat(second.leadership().isLeader()).isFalse();
  }

  private static List<String> participants(CuratorFramework client) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String child : client.getChildren().forPath("/rampart/hub/leader")) {
      ids.add(new String(client.getData().forPath("/rampart/hub/leader/" + child), java.nio.charset.StandardCharsets.UTF_8));
    }
    return ids;
  }
}
