package com.petuum.rampart.scheduler.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

  /** A clock that moves only when a test advances it. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-12-04T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final GraphKey GRAPH = GraphKey.of("team", "train");
  private static final ClusterName EAST = ClusterName.of("east");
  private static final ClusterName WEST = ClusterName.of("west");
  private static final ResourceList TWO_GPUS = ResourceList.of("nvidia.com/gpu", "2");

  private final ManualClock clock = new ManualClock();
  private final Ledger ledger = new Ledger(clock, Duration.ofMinutes(5));

  @Test
  void reservationLastsUntilTimeout() {
    ledger.reserve(GRAPH, Map.of(EAST, TWO_GPUS));

    clock.advance(Duration.ofMinutes(4));
    assertThat(ledger.snapshot().reservedByCluster(null)).containsEntry(EAST, TWO_GPUS);

    clock.advance(Duration.ofMinutes(1));
    assertThat(ledger.snapshot().reservedByCluster(null)).isEmpty();
  }

  @Test
  void confirmDropsOnlyThatCluster() {
    ledger.reserve(GRAPH, Map.of(EAST, TWO_GPUS, WEST, TWO_GPUS));

    ledger.confirm(GRAPH, EAST);

    assertThat(ledger.snapshot().reservedByCluster(null)).containsOnlyKeys(WEST);
  }

  @Test
  void releaseDropsEverything() {
    ledger.reserve(GRAPH, Map.of(EAST, TWO_GPUS, WEST, TWO_GPUS));

    ledger.release(GRAPH);

    assertThat(ledger.snapshot().reservations()).isEmpty();
  }

  @Test
  void commitFailsAfterAnotherChange() {
    LedgerSnapshot before = ledger.snapshot();
    ledger.reserve(GraphKey.of("team", "other"), Map.of(EAST, TWO_GPUS));

    boolean committed = ledger.commit(GRAPH, Map.of(EAST, TWO_GPUS), before.version());

    assertThat(committed).isFalse();
    assertThat(ledger.snapshot().reservations()).doesNotContainKey(GRAPH);
    assertThat(ledger.commit(GRAPH, Map.of(EAST, TWO_GPUS), ledger.snapshot().version())).isTrue();
  }

  @Test
  void snapshotExcludesTheGraphBeingScheduled() {
    ledger.reserve(GRAPH, Map.of(EAST, TWO_GPUS));
    ledger.reserve(GraphKey.of("team", "other"), Map.of(EAST, TWO_GPUS));

    assertThat(ledger.snapshot().reservedByCluster(GRAPH)).containsEntry(EAST, TWO_GPUS);
    assertThat(ledger.snapshot().reservedByCluster(null)).containsEntry(EAST, ResourceList.of("nvidia.com/gpu", "4"));
  }

  @Test
  void reservingAgainReplacesMovedPlacement() {
    ledger.reserve(GRAPH, Map.of(EAST, TWO_GPUS));

    ledger.reserve(GRAPH, Map.of(WEST, TWO_GPUS));

    assertThat(ledger.snapshot().reservedByCluster(null)).containsOnlyKeys(WEST);
  }
}
