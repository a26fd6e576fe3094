package com.petuum.rampart.hub.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Timings and limits of the hub's gRPC endpoint. Immutable.
 *
 * @param heartbeatInterval how often agents send a heartbeat and the hub sends a Ping
 * @param heartbeatGrace how long without a heartbeat before MemberCluster Ready turns Unknown
 * @param heartbeatWriteInterval the longest the written lastHeartbeatTime may lag while nothing
 *     else changes
 * @param silentStreamTimeout how long a stream may go without any agent message before the hub
 *     closes it
 * @param resendAfter how long a delivery waits for its acknowledgement before it is re-sent
 * @param maxMessageBytes the largest message accepted from an agent
 * @param agentMessagesPerSecond the sustained rate one agent may send at
 * @param agentMessageBurst how many messages one agent may send at once above that rate
 * @param certificateValidity lifetime of the client certificates the hub signs
 * @param membershipCheckInterval how often Ready and revocations are checked
 * @param endpoints host:port of the hub's Connect endpoints, returned to joining agents
 */
public record HubSettings(
    Duration heartbeatInterval,
    Duration heartbeatGrace,
    Duration heartbeatWriteInterval,
    Duration silentStreamTimeout,
    Duration resendAfter,
    int maxMessageBytes,
    double agentMessagesPerSecond,
    int agentMessageBurst,
    Duration certificateValidity,
    Duration membershipCheckInterval,
    List<String> endpoints) {

  public HubSettings {
    positive(heartbeatInterval, "heartbeatInterval");
    positive(heartbeatGrace, "heartbeatGrace");
    positive(heartbeatWriteInterval, "heartbeatWriteInterval");
    positive(silentStreamTimeout, "silentStreamTimeout");
    positive(resendAfter, "resendAfter");
    positive(certificateValidity, "certificateValidity");
    positive(membershipCheckInterval, "membershipCheckInterval");
    endpoints = List.copyOf(endpoints);
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "maxMessageBytes: " + maxMessageBytes + " (expected: at least 1024)");
    }
    if (!(agentMessagesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "agentMessagesPerSecond: " + agentMessagesPerSecond + " (expected: positive)");
    }
    if (agentMessageBurst < 1) {
      throw new IllegalArgumentException(
          "agentMessageBurst: " + agentMessageBurst + " (expected: 1 or more)");
    }
    if (heartbeatGrace.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "heartbeatGrace: "
              + heartbeatGrace
              + " (expected: longer than heartbeatInterval "
              + heartbeatInterval
              + ", or every late heartbeat marks the member Unknown)");
    }
  }

  /**
   * Returns production defaults: heartbeats every 5 s, Ready Unknown after 40 s, re-send after
   * 10 s, 4 MiB messages, 50 messages per second with a burst of 200, certificates for 90 days.
   */
  public static HubSettings defaults(List<String> endpoints) {
    return new HubSettings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(40),
        Duration.ofSeconds(30),
        Duration.ofSeconds(20),
        Duration.ofSeconds(10),
        4 * 1024 * 1024,
        50,
        200,
        Duration.ofDays(90),
        Duration.ofSeconds(1),
        endpoints);
  }

  public HubSettings withHeartbeat(Duration interval, Duration grace, Duration silentTimeout) {
    return new HubSettings(
        interval,
        grace,
        heartbeatWriteInterval,
        silentTimeout,
        resendAfter,
        maxMessageBytes,
        agentMessagesPerSecond,
        agentMessageBurst,
        certificateValidity,
        membershipCheckInterval,
        endpoints);
  }

  public HubSettings withResendAfter(Duration value) {
    return new HubSettings(
        heartbeatInterval,
        heartbeatGrace,
        heartbeatWriteInterval,
        silentStreamTimeout,
        value,
        maxMessageBytes,
        agentMessagesPerSecond,
        agentMessageBurst,
        certificateValidity,
        membershipCheckInterval,
        endpoints);
  }

  public HubSettings withLimits(int maxBytes, double messagesPerSecond, int burst) {
    return new HubSettings(
        heartbeatInterval,
        heartbeatGrace,
        heartbeatWriteInterval,
        silentStreamTimeout,
        resendAfter,
        maxBytes,
        messagesPerSecond,
        burst,
        certificateValidity,
        membershipCheckInterval,
        endpoints);
  }

  public HubSettings withCertificateValidity(Duration value) {
    return new HubSettings(
        heartbeatInterval,
        heartbeatGrace,
        heartbeatWriteInterval,
        silentStreamTimeout,
        resendAfter,
        maxMessageBytes,
        agentMessagesPerSecond,
        agentMessageBurst,
        value,
        membershipCheckInterval,
        endpoints);
  }

  private static void positive(Duration value, String name) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: positive)");
    }
  }
}
