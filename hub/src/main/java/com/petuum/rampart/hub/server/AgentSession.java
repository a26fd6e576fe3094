package com.petuum.rampart.hub.server;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.hub.dispatch.AckOutcome;
import com.petuum.rampart.hub.dispatch.Delivery;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.dispatch.HeldSlice;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.membership.MembershipMonitor;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.HeldWork;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.HubMessage;
import com.petuum.rampart.proto.v1.Ping;
import com.petuum.rampart.proto.v1.SyncComplete;
import com.petuum.rampart.proto.v1.Welcome;
import com.petuum.rampart.proto.v1.WorkDelete;
import com.petuum.rampart.proto.v1.WorkStatus;
import com.petuum.rampart.proto.v1.WorkUpsert;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One agent's Connect stream on the hub. Thread-safe: gRPC delivers inbound messages one at a
 * time, while timers and dispatcher listeners send from other threads.
 *
 * <p>States: AWAITING_HELLO until the agent's Hello, then OPEN, then CLOSED for good. The first
 * Hello makes the hub send Welcome, every owed delivery, and SyncComplete, in that order.
 *
 * <p>The identity is the cluster from the client certificate. The agent can acknowledge and
 * report only work the dispatcher owes this cluster; anything else is logged and ignored.
 *
 * <p>NOTE: sends do not wait for gRPC flow control ({@code isReady}), so an agent that stops
 * reading makes the hub buffer its deliveries until the silent-stream timeout closes the stream.
 */
final class AgentSession implements StreamObserver<AgentMessage> {

  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

  private enum State {
    /** Stream open, waiting for the agent's Hello; nothing but a refusal is sent. */
    AWAITING_HELLO,
    /** Welcome sent; work flows. */
    OPEN,
    /** Ended by either side; sends are dropped. */
    CLOSED
  }

  /** Everything a session needs from the server; shared by all sessions. */
  record Services(
      Dispatcher dispatcher,
      MembershipMonitor monitor,
      Leadership leadership,
      ConnectedAgents agents,
      HubSettings settings,
      Clock clock,
      Ticker ticker,
      BiConsumer<ClusterName, WorkStatus> statusSink) {}

  private final ClusterName cluster;
  private final String peerAddress;
  private final ServerCallStreamObserver<HubMessage> out;
  private final Services services;
  private final TokenBucket rateLimit;

  /**
   * Serializes writes to {@link #out}, which gRPC requires, and keeps Welcome, the initial
   * deliveries and SyncComplete together. Held only around non-blocking onNext calls.
   */
  private final Object sendLock = new Object();

  @GuardedBy("sendLock")
  private State state = State.AWAITING_HELLO;

  @GuardedBy("sendLock")
  private Epoch epoch;

  private volatile Instant lastReceived;

  AgentSession(
      ClusterName cluster,
      String peerAddress,
      ServerCallStreamObserver<HubMessage> out,
      Services services) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.peerAddress = requireNonNull(peerAddress, "peerAddress");
    this.out = requireNonNull(out, "out");
    this.services = requireNonNull(services, "services");
    this.rateLimit =
        new TokenBucket(
            services.ticker(),
            services.settings().agentMessagesPerSecond(),
            services.settings().agentMessageBurst());
    this.lastReceived = services.clock().instant();
  }

  ClusterName cluster() {
    return cluster;
  }

  @Override
  public void onNext(AgentMessage message) {
    MDC.put("cluster", cluster.value());
    Epoch streamEpoch;
    synchronized (sendLock) {
      streamEpoch = epoch;
    }
    if (streamEpoch != null) {
      MDC.put("epoch", streamEpoch.toString());
    }
    try {
      lastReceived = services.clock().instant();
      // Acknowledgements respond to the hub's own deliveries, so only unsolicited messages and
      // acknowledgements that matched nothing count against the rate limit.
      if (message.getKindCase() != AgentMessage.KindCase.ACK && rateExceeded()) {
        return;
      }
      switch (message.getKindCase()) {
        case HELLO -> onHello(message.getHello());
        case HEARTBEAT -> services.monitor().heartbeat(cluster);
        case INVENTORY -> services.monitor().inventory(cluster, message.getInventory());
        case ACK -> onAck(message);
        case WORK_STATUS -> onWorkStatus(message.getWorkStatus());
        default -> {
          log.warn("Unknown agent message; closing the stream. cluster={} kind={}", cluster, message.getKindCase());
          close(Status.INVALID_ARGUMENT.withDescription("unknown agent message kind " + message.getKindCase()));
        }
      }
    } finally {
      MDC.remove("cluster");
      MDC.remove("epoch");
    }
  }

  @Override
  public void onError(Throwable error) {
    Status status = Status.fromThrowable(error);
    log.info("Agent stream failed. cluster={} status={}", cluster, status.getCode());
    ended();
  }

  @Override
  public void onCompleted() {
    log.info("Agent closed its stream. cluster={}", cluster);
    close(Status.OK);
  }

  /** Sends a Ping, re-sends overdue work and closes the stream when the agent went silent. */
  void tick() {
    Instant now = services.clock().instant();
    if (now.isAfter(lastReceived.plus(services.settings().silentStreamTimeout()))) {
      log.warn("Agent stream silent; closing it. cluster={} lastReceived={}", cluster, lastReceived);
      close(Status.UNAVAILABLE.withDescription("no message from the agent since " + lastReceived));
      return;
    }
    Epoch sessionEpoch;
    synchronized (sendLock) {
      if (state != State.OPEN) {
        return;
      }
      sessionEpoch = epoch;
    }
    Optional<Epoch> current = services.leadership().currentEpoch();
    if (!current.equals(Optional.of(sessionEpoch))) {
      log.info(
          "Leadership changed; closing the stream. cluster={} streamEpoch={} currentEpoch={}",
          cluster,
          sessionEpoch,
          current.map(Epoch::toString).orElse("none"));
      close(Status.UNAVAILABLE.withDescription("hub leadership changed; reconnect"));
      return;
    }
    send(HubMessage.newBuilder().setPing(Ping.newBuilder().setSentAtUnixMillis(now.toEpochMilli())));
    sendDue();
  }

  /** Sends every delivery that the dispatcher reports due for this cluster. */
  void sendDue() {
    synchronized (sendLock) {
      if (state != State.OPEN) {
        return;
      }
      List<Delivery> due = services.dispatcher().takeDue(cluster);
      for (Delivery delivery : due) {
        sendLocked(toMessage(delivery));
      }
    }
  }

  /** Ends the stream with the status; OK completes it normally. Idempotent. */
  void close(Status status) {
    synchronized (sendLock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      try {
        if (status.isOk()) {
          out.onCompleted();
        } else {
          out.onError(status.asRuntimeException());
        }
      } catch (IllegalStateException e) {
        // The call was already cancelled by the transport; there is nothing left to close.
        log.debug("Stream already closed. cluster={}", cluster);
      }
    }
    ended();
  }

  /** Sends NotLeader and completes the stream; used by followers before any Hello. */
  void refuseAsFollower(Optional<String> leaderAddress) {
    synchronized (sendLock) {
      out.onNext(
          HubMessage.newBuilder()
              .setNotLeader(
                  com.petuum.rampart.proto.v1.NotLeader.newBuilder()
                      .setLeaderAddress(leaderAddress.orElse("")))
              .build());
    }
    close(Status.OK);
  }

  private void onHello(Hello hello) {
    Optional<Epoch> current = services.leadership().currentEpoch();
    if (current.isEmpty()) {
      refuseAsFollower(services.leadership().leaderAddress());
      return;
    }
    boolean repeated;
    synchronized (sendLock) {
      repeated = state != State.AWAITING_HELLO;
      if (!repeated) {
        epoch = current.get();
      }
    }
    if (repeated) {
      log.warn("Second Hello on one stream; closing it. cluster={}", cluster);
      close(Status.INVALID_ARGUMENT.withDescription("Hello may be sent only once per stream"));
      return;
    }

    Map<String, HeldSlice> held = new HashMap<>();
    for (HeldWork work : hello.getHeldList()) {
      held.put(
          work.getKey().getGraphUid(),
          new HeldSlice(work.getKey().getGraphUid(), work.getGeneration(), work.getSliceHash()));
    }
    services.dispatcher().reconnected(cluster, held);
    services.monitor().connected(cluster, hello, peerAddress);
    services.agents().register(this);
    log.info(
        "Agent connected. cluster={} epoch={} agentVersion={} held={} peer={}",
        cluster,
        epoch,
        hello.getAgentVersion(),
        held.size(),
        peerAddress);

    synchronized (sendLock) {
      if (state != State.AWAITING_HELLO) {
        return;
      }
      state = State.OPEN;
      sendLocked(
          HubMessage.newBuilder()
              .setWelcome(
                  Welcome.newBuilder()
                      .setClusterName(cluster.value())
                      .setHeartbeatIntervalSeconds(
                          (int) services.settings().heartbeatInterval().toSeconds())
                      .setMaxMessageBytes(services.settings().maxMessageBytes())));
      for (Delivery delivery : services.dispatcher().takeDue(cluster)) {
        sendLocked(toMessage(delivery));
      }
      SyncComplete.Builder sync = SyncComplete.newBuilder();
      for (WorkId id : services.dispatcher().desiredIds(cluster)) {
        sync.addKeys(id.toProto());
      }
      sendLocked(HubMessage.newBuilder().setSyncComplete(sync));
    }
  }

  private boolean rateExceeded() {
    if (rateLimit.tryTake()) {
      return false;
    }
    log.warn(
        "Agent exceeded its message rate; closing the stream. cluster={} limitPerSecond={}",
        cluster,
        services.settings().agentMessagesPerSecond());
    close(
        Status.RESOURCE_EXHAUSTED.withDescription(
            "cluster "
                + cluster
                + " sent more than "
                + services.settings().agentMessagesPerSecond()
                + " messages per second; reconnect after a backoff"));
    return true;
  }

  private void onAck(AgentMessage message) {
    var ack = message.getAck();
    AckOutcome outcome =
        services.dispatcher().acknowledge(cluster, ack.getKey().getGraphUid(), ack.getGeneration());
    if (outcome != AckOutcome.ACCEPTED && rateExceeded()) {
      return;
    }
    switch (outcome) {
      case ACCEPTED -> log.debug(
          "Work acknowledged. cluster={} graphUid={} generation={}",
          cluster,
          ack.getKey().getGraphUid(),
          ack.getGeneration());
      case STALE -> log.debug(
          "Stale acknowledgement ignored. cluster={} graphUid={} generation={}",
          cluster,
          ack.getKey().getGraphUid(),
          ack.getGeneration());
      case FOREIGN -> log.warn(
          "Acknowledgement for work not assigned to this cluster ignored. cluster={} graphUid={} generation={}",
          cluster,
          ack.getKey().getGraphUid(),
          ack.getGeneration());
    }
  }

  private void onWorkStatus(WorkStatus status) {
    String graphUid = status.getKey().getGraphUid();
    if (!services.dispatcher().owns(cluster, graphUid)) {
      log.warn(
          "Status for work not assigned to this cluster ignored. cluster={} graphUid={}",
          cluster,
          graphUid);
      return;
    }
    services.statusSink().accept(cluster, status);
  }

  private void send(HubMessage.Builder message) {
    synchronized (sendLock) {
      if (state != State.OPEN) {
        return;
      }
      sendLocked(message);
    }
  }

  @GuardedBy("sendLock")
  private void sendLocked(HubMessage.Builder message) {
    try {
      out.onNext(message.setEpoch(epoch.value()).build());
    } catch (RuntimeException e) {
      // onNext throws once the call was cancelled; the onError callback cleans up.
      log.debug("Send failed on a closed stream. cluster={} reason={}", cluster, e.toString());
    }
  }

  private static HubMessage.Builder toMessage(Delivery delivery) {
    if (delivery instanceof Delivery.Upsert upsert) {
      return HubMessage.newBuilder()
          .setWorkUpsert(
              WorkUpsert.newBuilder()
                  .setKey(upsert.id().toProto())
                  .setGeneration(upsert.generation())
                  .setSliceJson(upsert.item().sliceJson())
                  .setSliceHash(upsert.item().sliceHash()));
    }
    return HubMessage.newBuilder()
        .setWorkDelete(
            WorkDelete.newBuilder()
                .setKey(delivery.id().toProto())
                .setGeneration(delivery.generation()));
  }

  private void ended() {
    synchronized (sendLock) {
      state = State.CLOSED;
    }
    if (services.agents().unregister(this)) {
      services.monitor().disconnected(cluster);
    }
  }
}
