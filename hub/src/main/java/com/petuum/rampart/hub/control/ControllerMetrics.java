package com.petuum.rampart.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.scheduler.model.GraphKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The graph controller's meters. Thread-safe; the controller's thread updates them and the
 * metrics endpoint reads them.
 */
final class ControllerMetrics {

  private final MeterRegistry registry;
  private final Timer scheduling;
  private final Set<GraphKey> unschedulable = ConcurrentHashMap.newKeySet();
  private final MultiGauge heartbeatAges;

  ControllerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.scheduling = Timer.builder("rampart_scheduling_duration")
        .description("Time to schedule one graph, reservation in the ledger included")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.heartbeatAges = MultiGauge.builder("rampart_agent_heartbeat_age")
        .description("Seconds since the last heartbeat of each member cluster's agent")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("rampart_unschedulable_graphs", unschedulable, Set::size)
        .description("Graphs for which no placement exists now")
        .register(registry);
    // Counters exist from the start at zero, so dashboards and rate() see a series before the
    // first error rather than "No data".
    fencedWrites();
    for (String reason : List.of("conflict", "apiserver", "unexpected")) {
      reconcileErrors(reason);
    }
  }

  void bindQueue(ReconcileQueue queue) {
    Gauge.builder("rampart_reconcile_queue_depth", queue, ReconcileQueue::size)
        .description("Graphs waiting to be reconciled, due now or later")
        .register(registry);
  }

  /** Publishes, per member cluster, the seconds since the heartbeat its MemberCluster records. */
  void recordHeartbeatAges(List<JsonNode> members, Instant now) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (JsonNode member : members) {
      String heartbeat = member.path("status").path("lastHeartbeatTime").asText("");
      if (heartbeat.isEmpty()) {
        continue;
      }
      try {
        double age = Duration.between(Instant.parse(heartbeat), now).toMillis() / 1000.0;
        rows.add(MultiGauge.Row.of(Tags.of("cluster", member.path("metadata").path("name").asText()), age));
      } catch (DateTimeParseException e) {
        // A heartbeat time that does not parse is left out rather than shown as zero.
      }
    }
    heartbeatAges.register(rows, true);
  }

  Timer.Sample startScheduling() {
    return Timer.start(registry);
  }

  void scheduled(Timer.Sample sample, GraphKey key, boolean placed) {
    sample.stop(scheduling);
    if (placed) {
      unschedulable.remove(key);
    } else {
      unschedulable.add(key);
    }
  }

  void forget(GraphKey key) {
    unschedulable.remove(key);
  }

  void fencedWrite() {
    fencedWrites().increment();
  }

  void reconcileError(String reason) {
    reconcileErrors(reason).increment();
  }

  private Counter fencedWrites() {
    return Counter.builder("rampart_fenced_writes")
        .description("Writes this replica's fence refused because another replica leads with a newer epoch")
        .register(registry);
  }

  private Counter reconcileErrors(String reason) {
    return Counter.builder("rampart_reconcile_errors")
        .description("Failed reconciles of hub graphs, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
