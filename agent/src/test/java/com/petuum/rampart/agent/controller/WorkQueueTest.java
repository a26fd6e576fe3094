package com.petuum.rampart.agent.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final WorkQueue queue = new WorkQueue(scheduler, Duration.ofSeconds(1), Duration.ofMinutes(5));
  private final GraphKey a = new GraphKey("ns", "a");
  private final GraphKey b = new GraphKey("ns", "b");

  @AfterEach
  void stop() {
    queue.shutDown();
    scheduler.shutdownNow();
  }

  @Test
  void queuedKeyIsAddedOnce() throws Exception {
    queue.add(a);
    queue.add(a);
    queue.add(b);

    assertThat(queue.take()).contains(a);
    assertThat(queue.take()).contains(b);
    queue.shutDown();
    assertThat(queue.take()).isEmpty();
  }

  @Test
  void keyAddedWhileProcessingReturnsAfterDone() throws Exception {
    queue.add(a);
    GraphKey taken = queue.take().orElseThrow();

    queue.add(a);
    queue.add(b);
    assertThat(queue.take()).contains(b);
    queue.done(taken);

    assertThat(queue.take()).contains(a);
  }

  @Test
  void backoffDoublesUpToMax() {
    assertThat(queue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(queue.backoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(queue.backoff(9)).isEqualTo(Duration.ofSeconds(256));
    assertThat(queue.backoff(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(queue.backoff(100)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shutDownWakesWaitingWorker() throws Exception {
    Thread worker = new Thread(() -> {
      try {
        assertThat(queue.take()).isEqualTo(Optional.empty());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();

    queue.shutDown();

    worker.join(Duration.ofSeconds(10).toMillis());
    assertThat(worker.isAlive()).isFalse();
  }
}
