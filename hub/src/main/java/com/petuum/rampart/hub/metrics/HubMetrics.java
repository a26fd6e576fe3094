package com.petuum.rampart.hub.metrics;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.server.FederationServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Registers the hub replica's process-wide meters: leadership, epoch, connected agents,
 * outstanding acknowledgements and dispatch latency. The graph controller registers its own
 * (scheduling latency, queue depth, unschedulable graphs, heartbeat age, reconcile errors).
 * Names follow the Prometheus conventions; docs/metrics.md lists them. Gauges hold their sources
 * strongly: Micrometer's default weak reference would let a lambda or a view object be
 * collected, and the gauge would then read NaN.
 */
public final class HubMetrics {

  /** Time from a slice's first send to the agent's acknowledgement. */
  public static final String DISPATCH_LATENCY = "rampart_dispatch_latency";

  private HubMetrics() {}

  /**
   * Binds the meters.
   *
   * @param server supplies the running agent endpoint, or null before it starts
   */
  public static void bind(MeterRegistry registry, Leadership leadership, Dispatcher dispatcher,
      Supplier<FederationServer> server) {
    requireNonNull(registry, "registry");
    Gauge.builder("rampart_leader", leadership, l -> l.isLeader() ? 1 : 0)
        .description("1 while this replica leads and has synced its term, else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("rampart_leader_epoch", leadership, l -> l.currentEpoch().map(Epoch::value).orElse(0L))
        .description("The fencing epoch this replica leads with, 0 while it follows")
        .strongReference(true)
        .register(registry);
    Gauge.builder("rampart_connected_agents", server, s -> s.get() == null ? 0 : s.get().connectedAgentCount())
        .description("Agents with an open stream to this replica")
        .strongReference(true)
        .register(registry);
    Gauge.builder("rampart_acknowledgements_outstanding", dispatcher, Dispatcher::unacknowledgedTotal)
        .description("Slices and removals sent or owed to agents and not acknowledged yet")
        .register(registry);
    Timer dispatchLatency = Timer.builder(DISPATCH_LATENCY)
        .description("Time from a slice's first send to the agent's acknowledgement")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(1))
        .register(registry);
    dispatcher.addAckListener(dispatchLatency::record);
  }
}
