package com.petuum.rampart.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Property
  void delayStaysWithinHalfAndFullCeiling(@ForAll @IntRange(min = 0, max = 100) int attempt, @ForAll long seed) {
    long ceiling = Math.min(30_000, attempt < 20 ? 1000L << attempt : 30_000);

    Duration delay = backoff.delay(attempt, new Random(seed));

    assertThat(delay.toMillis()).isBetween(ceiling / 2, ceiling);
  }

  @Test
  void firstAttemptsDouble() {
    Random random = new Random(7);

    assertThat(backoff.delay(0, random).toMillis()).isBetween(500L, 1000L);
    assertThat(backoff.delay(1, random).toMillis()).isBetween(1000L, 2000L);
    assertThat(backoff.delay(2, random).toMillis()).isBetween(2000L, 4000L);
    assertThat(backoff.delay(10, random).toMillis()).isBetween(15_000L, 30_000L);
  }

  @Test
  void jitterSpreadsAgents() {
    Random random = new Random(42);
    Set<Long> delays = new HashSet<>();

    for (int agent = 0; agent < 100; agent++) {
      delays.add(backoff.delay(3, random).toMillis());
    }

    assertThat(delays).hasSizeGreaterThan(50);
  }

  @Test
  void rejectsMaxBelowInitial() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoff max: PT1S");
  }
}
