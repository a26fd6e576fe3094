package com.petuum.rampart.hub.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.hub.testing.MutableClock;
import com.petuum.rampart.scheduler.model.GraphKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconcileQueueTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ReconcileQueue queue = new ReconcileQueue(clock, Duration.ofMillis(200), Duration.ofSeconds(1));
  private final GraphKey a = GraphKey.of("ml", "a");
  private final GraphKey b = GraphKey.of("ml", "b");

  @Test
  void keyIsHeldOnceAndTakenWhenDue() {
    queue.add(a);
    queue.add(a);
    queue.addAfter(b, Duration.ofSeconds(1));

    assertThat(queue.takeDue()).containsExactly(a);
    assertThat(queue.takeDue()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.takeDue()).containsExactly(b);
  }

  @Test
  void laterAddKeepsTheEarlierDueTime() {
    queue.addAfter(a, Duration.ofMillis(100));
    queue.addAfter(a, Duration.ofSeconds(10));

    clock.advance(Duration.ofMillis(100));
    assertThat(queue.takeDue()).containsExactly(a);
  }

  @Test
  void failuresBackOffUntilForgotten() {
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofMillis(200));
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofMillis(400));
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofMillis(800));
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofSeconds(1));

    queue.forget(a);
    assertThat(queue.addRateLimited(a)).isEqualTo(Duration.ofMillis(200));
  }
}
