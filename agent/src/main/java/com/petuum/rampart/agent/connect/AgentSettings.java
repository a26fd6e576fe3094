package com.petuum.rampart.agent.connect;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.agent.identity.HubAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection settings of an agent: hub address, timings and limits. Immutable.
 *
 * @param hub the hub's Connect endpoint
 * @param agentVersion reported in Hello and Join
 * @param kubernetesVersion the member's apiserver version, reported in Hello
 * @param heartbeatInterval used until the hub's Welcome sets it
 * @param watchdogMisses how many heartbeat intervals without any hub message end the stream
 * @param inventoryInterval how often the inventory is read and, when changed, sent
 * @param backoff delays between reconnect attempts
 * @param maxMessageBytes the largest message the agent accepts from the hub
 * @param alternates other hub replicas' Connect endpoints; a stream that fails before the hub's
 *     Welcome makes the next attempt go to the next address, {@code hub} first, then these in order
 */
public record AgentSettings(
    HubAddress hub,
    String agentVersion,
    String kubernetesVersion,
    Duration heartbeatInterval,
    int watchdogMisses,
    Duration inventoryInterval,
    Backoff backoff,
    int maxMessageBytes,
    List<HubAddress> alternates) {

  public AgentSettings {
    requireNonNull(hub, "hub");
    requireNonNull(agentVersion, "agentVersion");
    requireNonNull(kubernetesVersion, "kubernetesVersion");
    requireNonNull(heartbeatInterval, "heartbeatInterval");
    requireNonNull(inventoryInterval, "inventoryInterval");
    requireNonNull(backoff, "backoff");
    alternates = List.copyOf(alternates);
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeatInterval: " + heartbeatInterval + " (expected: positive)");
    }
    if (watchdogMisses < 2) {
      throw new IllegalArgumentException(
          "watchdogMisses: " + watchdogMisses + " (expected: 2 or more, or one late Ping ends the stream)");
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " (expected: at least 1024)");
    }
  }

  /** Returns defaults: 5 s heartbeats, 3 misses, inventory every 10 s, 1-15 s backoff, 16 MiB. */
  public static AgentSettings defaults(HubAddress hub, String agentVersion, String kubernetesVersion) {
    return new AgentSettings(
        hub,
        agentVersion,
        kubernetesVersion,
        Duration.ofSeconds(5),
        3,
        Duration.ofSeconds(10),
        Backoff.defaults(),
        16 * 1024 * 1024,
        List.of());
  }

  public AgentSettings withHeartbeatInterval(Duration value) {
    return new AgentSettings(
        hub,
        agentVersion,
        kubernetesVersion,
        value,
        watchdogMisses,
        inventoryInterval,
        backoff,
        maxMessageBytes,
        alternates);
  }

  public AgentSettings withInventoryInterval(Duration value) {
    return new AgentSettings(
        hub,
        agentVersion,
        kubernetesVersion,
        heartbeatInterval,
        watchdogMisses,
        value,
        backoff,
        maxMessageBytes,
        alternates);
  }

  public AgentSettings withBackoff(Backoff value) {
    return new AgentSettings(
        hub,
        agentVersion,
        kubernetesVersion,
        heartbeatInterval,
        watchdogMisses,
        inventoryInterval,
        value,
        maxMessageBytes,
        alternates);
  }

  public AgentSettings withHub(HubAddress value) {
    return new AgentSettings(
        value,
        agentVersion,
        kubernetesVersion,
        heartbeatInterval,
        watchdogMisses,
        inventoryInterval,
        backoff,
        maxMessageBytes,
        alternates);
  }

  public AgentSettings withAlternates(List<HubAddress> value) {
    return new AgentSettings(
        hub,
        agentVersion,
        kubernetesVersion,
        heartbeatInterval,
        watchdogMisses,
        inventoryInterval,
        backoff,
        maxMessageBytes,
        value);
  }

  /** Returns every hub address to try, {@code hub} first. */
  public List<HubAddress> candidates() {
    List<HubAddress> all = new ArrayList<>();
    all.add(hub);
    all.addAll(alternates);
    return all;
  }
}
