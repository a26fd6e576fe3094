package com.petuum.rampart.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.petuum.rampart.hub.testing.MutableClock;
import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  private static final ClusterName M1 = new ClusterName("m1");
  private static final ClusterName M2 = new ClusterName("m2");
  private static final WorkId GRAPH = new WorkId("uid-1", "ml", "pipeline");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final Dispatcher dispatcher = new Dispatcher(clock, Duration.ofSeconds(10));

  private static WorkItem item(long generation) {
    return WorkItem.of(GRAPH, generation, ByteString.copyFromUtf8("{\"generation\":" + generation + "}"));
  }

  @Test
  void sendsNewWorkOnceUntilResendPeriod() {
    dispatcher.assign(M1, item(1));

    List<Delivery> first = dispatcher.takeDue(M1);
    List<Delivery> second = dispatcher.takeDue(M1);

    assertThat(first).containsExactly(new Delivery.Upsert(item(1)));
    assertThat(second).isEmpty();
  }

  @Test
  void resendsUnacknowledgedWorkAfterPeriod() {
    dispatcher.assign(M1, item(1));
    dispatcher.takeDue(M1);

    clock.advance(Duration.ofSeconds(10));

    assertThat(dispatcher.takeDue(M1)).containsExactly(new Delivery.Upsert(item(1)));
  }

  @Test
  void acknowledgedWorkIsNotResent() {
    dispatcher.assign(M1, item(1));
    dispatcher.takeDue(M1);

    AckOutcome outcome = dispatcher.acknowledge(M1, "uid-1", 1);
    clock.advance(Duration.ofMinutes(1));

    assertThat(outcome).isEqualTo(AckOutcome.ACCEPTED);
    assertThat(dispatcher.takeDue(M1)).isEmpty();
    assertThat(dispatcher.unacknowledgedCount(M1)).isZero();
  }

  @Test
  void ackOfOlderGenerationIsStale() {
    dispatcher.assign(M1, item(1));
    dispatcher.assign(M1, item(2));

    assertThat(dispatcher.acknowledge(M1, "uid-1", 1)).isEqualTo(AckOutcome.STALE);
    assertThat(dispatcher.unacknowledgedCount(M1)).isEqualTo(1);
  }

  @Test
  void lateOlderGenerationDoesNotReplaceNewer() {
    dispatcher.assign(M1, item(2));
    dispatcher.assign(M1, item(1));

    assertThat(dispatcher.takeDue(M1)).containsExactly(new Delivery.Upsert(item(2)));
  }

  @Test
  void ackFromOtherClusterChangesNothing() {
    dispatcher.assign(M1, item(1));
    dispatcher.takeDue(M1);

    AckOutcome outcome = dispatcher.acknowledge(M2, "uid-1", 1);

    assertThat(outcome).isEqualTo(AckOutcome.FOREIGN);
    assertThat(dispatcher.unacknowledgedCount(M1)).isEqualTo(1);
  }

  @Test
  void reconnectCountsHeldSliceAsAcknowledged() {
    WorkItem item = item(3);
    dispatcher.assign(M1, item);
    dispatcher.takeDue(M1);

    dispatcher.reconnected(M1, Map.of("uid-1", new HeldSlice("uid-1", 3, item.sliceHash())));

    assertThat(dispatcher.takeDue(M1)).isEmpty();
    assertThat(dispatcher.desiredIds(M1)).containsExactly(GRAPH);
  }

  @Test
  void reconnectResendsSliceHeldWithOtherHash() {
    dispatcher.assign(M1, item(3));
    dispatcher.takeDue(M1);

    dispatcher.reconnected(M1, Map.of("uid-1", new HeldSlice("uid-1", 3, "0".repeat(64))));

    assertThat(dispatcher.takeDue(M1)).containsExactly(new Delivery.Upsert(item(3)));
  }

  @Test
  void removalIsOwedUntilAcknowledged() {
    dispatcher.assign(M1, item(1));
    dispatcher.acknowledge(M1, "uid-1", 1);

    dispatcher.remove(M1, GRAPH, 2);

    assertThat(dispatcher.takeDue(M1)).containsExactly(new Delivery.Removal(GRAPH, 2));
    assertThat(dispatcher.desiredIds(M1)).isEmpty();
    assertThat(dispatcher.acknowledge(M1, "uid-1", 2)).isEqualTo(AckOutcome.ACCEPTED);
    assertThat(dispatcher.owns(M1, "uid-1")).isFalse();
  }

  @Test
  void listenersHearOfChanges() {
    List<ClusterName> heard = new ArrayList<>();
    dispatcher.addListener(heard::add);

    dispatcher.assign(M1, item(1));
    dispatcher.remove(M2, GRAPH, 1);

    assertThat(heard).containsExactly(M1, M2);
  }
}
