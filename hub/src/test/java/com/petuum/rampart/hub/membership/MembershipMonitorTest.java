package com.petuum.rampart.hub.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.hub.testing.MutableClock;
import com.petuum.rampart.hub.testing.MutableLeadership;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.ResourceQuantities;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MembershipMonitorTest {

  private static final ClusterName M1 = new ClusterName("m1");
  private static final ClusterName M2 = new ClusterName("m2");
  private static final Duration GRACE = Duration.ofSeconds(40);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InMemoryMemberClusterStore store = new InMemoryMemberClusterStore();
  private final List<ClusterName> revoked = new ArrayList<>();
  private final MutableLeadership leadership = new MutableLeadership(1);
  /** The newest epoch, as ZooKeeper would store it. The fence admits only that one. */
  private final AtomicReference<Epoch> newestEpoch = new AtomicReference<>(new Epoch(1));
  private final WriteFence fence = epoch -> epoch.equals(newestEpoch.get());
  private final MembershipMonitor monitor =
      new MembershipMonitor(store, leadership, fence, clock, GRACE, Duration.ofSeconds(30), revoked::add);

  private void connect() {
    store.add(M1);
    monitor.connected(M1, Hello.newBuilder().setAgentVersion("0.1.0").setKubernetesVersion("v1.36.3").build(), "127.0.0.1:5000");
    monitor.flush();
  }

  @Test
  void connectMakesMemberReady() {
    connect();

    MemberStatus status = store.status(M1).orElseThrow();

    assertThat(status.ready().status()).isEqualTo(ReadyCondition.TRUE);
    assertThat(status.agentVersion()).isEqualTo("0.1.0");
    assertThat(status.kubernetesVersion()).isEqualTo("v1.36.3");
    assertThat(status.agentAddress()).isEqualTo("127.0.0.1:5000");
  }

  @Test
  void silenceForGraceTurnsReadyUnknown() {
    connect();

    clock.advance(GRACE.plusSeconds(1));
    monitor.check();

    MemberStatus status = store.status(M1).orElseThrow();
    assertThat(status.ready().status()).isEqualTo(ReadyCondition.UNKNOWN);
    assertThat(status.ready().reason()).isEqualTo("AgentHeartbeatMissing");
  }

  @Test
  void heartbeatWithinGraceKeepsReady() {
    connect();

    clock.advance(GRACE.minusSeconds(5));
    monitor.heartbeat(M1);
    clock.advance(Duration.ofSeconds(10));
    monitor.check();

    assertThat(store.status(M1).orElseThrow().ready().isTrue()).isTrue();
  }

  @Test
  void heartbeatAfterUnknownTurnsReadyTrue() {
    connect();
    clock.advance(GRACE.plusSeconds(1));
    monitor.check();

    monitor.heartbeat(M1);
    monitor.flush();

    assertThat(store.status(M1).orElseThrow().ready().isTrue()).isTrue();
  }

  @Test
  void inventoryChangeIsWrittenAtOnce() {
    connect();
    Inventory inventory =
        Inventory.newBuilder()
            .setAllocatable(ResourceQuantities.newBuilder().putQuantities("cpu", "16"))
            .setNodeCount(1)
            .build();

    monitor.inventory(M1, inventory);
    monitor.flush();

    assertThat(store.status(M1).orElseThrow().inventory()).contains(inventory);
  }

  @Test
  void heartbeatTimeIsRewrittenOnlyAfterWriteInterval() {
    connect();
    Instant firstWrite = store.status(M1).orElseThrow().lastHeartbeatTime();

    clock.advance(Duration.ofSeconds(5));
    monitor.heartbeat(M1);
    monitor.flush();
    Instant afterFiveSeconds = store.status(M1).orElseThrow().lastHeartbeatTime();
    clock.advance(Duration.ofSeconds(30));
    monitor.heartbeat(M1);
    monitor.flush();
    Instant afterWriteInterval = store.status(M1).orElseThrow().lastHeartbeatTime();

    assertThat(afterFiveSeconds).isEqualTo(firstWrite);
    assertThat(afterWriteInterval).isEqualTo(clock.instant());
  }

  @Test
  void deletedMemberIsRevoked() {
    connect();

    store.delete(M1);
    monitor.check();

    assertThat(revoked).containsExactly(M1);
  }

  @Test
  void formerLeaderWritesNothing() {
    connect();
    monitor.check();

    // Another replica takes over, so the agent's stream here closes and it reports there.
    leadership.follow();
    monitor.disconnected(M1);
    clock.advance(GRACE.plusSeconds(1));
    monitor.check();

    assertThat(store.status(M1).orElseThrow().ready().isTrue()).isTrue();
  }

  @Test
  void fencedLeaderWritesNothing() {
    connect();
    monitor.check();

    // The process was stopped past the grace period. Its election has not noticed yet, but a
    // newer epoch exists.
    newestEpoch.set(new Epoch(2));
    clock.advance(GRACE.plusSeconds(1));
    monitor.check();

    assertThat(store.status(M1).orElseThrow().ready().isTrue()).isTrue();
  }

  @Test
  void newLeaderMarksAbsentMembersUnknown() {
    connect();
    monitor.check();
    store.add(M2);
    store.writeStatus(M2, new MemberStatus("0.1.0", "127.0.0.1:5001", "v1.36.3", clock.instant(), Optional.empty(),
        ReadyCondition.heartbeating(clock.instant())));

    leadership.lead(2);
    newestEpoch.set(new Epoch(2));
    monitor.check();
    clock.advance(GRACE.minusSeconds(1));
    monitor.heartbeat(M1);
    monitor.check();
    assertThat(store.status(M2).orElseThrow().ready().isTrue()).as("within the grace period").isTrue();

    clock.advance(Duration.ofSeconds(2));
    monitor.check();

    ReadyCondition absent = store.status(M2).orElseThrow().ready();
    assertThat(absent.status()).isEqualTo(ReadyCondition.UNKNOWN);
    assertThat(absent.reason()).isEqualTo("AgentHeartbeatMissing");
    assertThat(absent.message()).contains("has not connected to the leading hub replica in the 40s");
    assertThat(store.status(M2).orElseThrow().agentAddress()).isEqualTo("127.0.0.1:5001");
    assertThat(store.status(M1).orElseThrow().ready().isTrue()).as("connected in this term").isTrue();
  }

  @Test
  void absentMemberReadyOnConnect() {
    store.add(M2);
    store.writeStatus(M2, new MemberStatus("0.1.0", "", "v1.36.3", clock.instant(), Optional.empty(),
        ReadyCondition.heartbeating(clock.instant())));
    monitor.check();
    clock.advance(GRACE.plusSeconds(1));
    monitor.check();
    assertThat(store.status(M2).orElseThrow().ready().isTrue()).isFalse();

    monitor.connected(M2, Hello.newBuilder().setAgentVersion("0.1.0").build(), "127.0.0.1:5001");
    monitor.flush();

    assertThat(store.status(M2).orElseThrow().ready().isTrue()).isTrue();
  }
}
