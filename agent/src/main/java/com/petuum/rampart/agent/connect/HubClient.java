package com.petuum.rampart.agent.connect;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.CredentialStore;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.HubChannels;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.inventory.InventorySource;
import com.petuum.rampart.agent.work.AppliedSlice;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.Ack;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.Heartbeat;
import com.petuum.rampart.proto.v1.HeldWork;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.HubMessage;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.proto.v1.WorkStatus;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent's side of the Connect stream: keeps one stream to the hub open, applies the work it
 * receives through the {@link WorkStore}, acknowledges it, and sends heartbeats and inventory.
 * Thread-safe.
 *
 * <ul>
 *   <li><b>Fencing.</b> A hub message with an epoch lower than the highest seen is ignored, so a
 *       deposed leader cannot undo what its successor sent. NotLeader is the exception: it only
 *       ends the stream.
 *   <li><b>Idempotence.</b> Every upsert and removal goes through the work store, which runs the
 *       applier only for a real change, and is acknowledged either way.
 *   <li><b>Watchdog.</b> A stream on which no hub message arrived for {@code watchdogMisses}
 *       heartbeat intervals is cancelled and reconnected.
 *   <li><b>Renewal.</b> When less than a third of the client certificate's validity is left, the
 *       next connect first renews it over mutual TLS and stores the new key and certificate. A
 *       tick restarts the stream for that. Renewal is tried at most once an hour, so a failing
 *       one does not run on every reconnect.
 *   <li><b>Reconnect.</b> Every ended stream is retried after {@link Backoff#delay} for the
 *       number of attempts since the last Welcome; the gRPC channel's own connect backoff is reset
 *       first so that ours decides.
 * </ul>
 *
 * <p>While disconnected, the work store keeps every applied slice and nothing is removed. Timers and
 * reconnects run on the scheduler given to the constructor; stream callbacks run on gRPC threads.
 * The client holds its lock only to decide; it sends and applies after releasing it.
 */
public final class HubClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HubClient.class);
  /** Delay before following a redirect or trying the next replica in a round, plus up to as much jitter. */
  private static final Duration QUICK_RETRY = Duration.ofMillis(100);

  /** Minimum time between two renewal attempts. */
  private static final Duration RENEWAL_RETRY = Duration.ofHours(1);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final AgentSettings settings;
  private final ClusterName cluster;
  private final CredentialStore credentials;
  private final Joiner joiner;
  private final WorkStore work;
  private final InventorySource inventory;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Random random;

  private final AtomicLong ignoredStaleMessages = new AtomicLong();

  /** Runs after every Welcome; set before {@link #start}, so reads need no lock. */
  private volatile Runnable welcomeListener = () -> {};
  private final AtomicLong welcomes = new AtomicLong();

  @GuardedBy("this")
  private State state = State.NEW;

  @GuardedBy("this")
  private ManagedChannel channel;

  @GuardedBy("this")
  private AgentCredentials channelCredentials;

  @GuardedBy("this")
  private Stream stream;

  @GuardedBy("this")
  private int attempt;

  @GuardedBy("this")
  private long highestEpoch;

  @GuardedBy("this")
  private Duration heartbeatInterval;

  @GuardedBy("this")
  private Instant lastInventoryRead = Instant.EPOCH;

  @GuardedBy("this")
  private Inventory lastInventorySent;

  @GuardedBy("this")
  private ScheduledFuture<?> ticker;

  @GuardedBy("this")
  private Optional<HubAddress> redirect = Optional.empty();


  /** Index into {@link AgentSettings#candidates()} of the address the next attempt dials. */
  @GuardedBy("this")
  private int candidate;

  /** The address the current channel dials. */
  @GuardedBy("this")
  private HubAddress channelAddress;

  /** When renewal was last tried, so that a failing or short-lived renewal is not retried in a loop. */
  @GuardedBy("this")
  private Instant lastRenewalAttempt = Instant.EPOCH;

  /** When the certificate of the current channel should be renewed. */
  @GuardedBy("this")
  private Instant renewalTime = Instant.MAX;

  /**
   * Creates a client. The caller owns the scheduler, the credential store, the work store and the
   * inventory source, and must keep the scheduler running until {@link #close}.
   *
   * @param random source of backoff jitter; pass a seeded one in tests
   */
  public HubClient(
      AgentSettings settings,
      ClusterName cluster,
      CredentialStore credentials,
      Joiner joiner,
      WorkStore work,
      InventorySource inventory,
      ScheduledExecutorService scheduler,
      Clock clock,
      Random random) {
    this.settings = requireNonNull(settings, "settings");
    this.cluster = requireNonNull(cluster, "cluster");
    this.credentials = requireNonNull(credentials, "credentials");
    this.joiner = requireNonNull(joiner, "joiner");
    this.work = requireNonNull(work, "work");
    this.inventory = requireNonNull(inventory, "inventory");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.heartbeatInterval = settings.heartbeatInterval();
  }

  /**
   * Starts connecting in the background.
   *
   * @throws IllegalStateException when already started or closed, or when the credential store
   *     contains no credentials (join first)
   */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("HubClient cannot start: state is " + state);
    }
    if (credentials.load().isEmpty()) {
      throw new IllegalStateException(
          "HubClient for cluster " + cluster + " has no credentials; join the hub first");
    }
    state = State.RUNNING;
    scheduler.execute(this::connect);
    // Ticks five times per interval so that heartbeats leave at most a fifth of an interval late.
    long tickMillis = Math.max(100, settings.heartbeatInterval().toMillis() / 5);
    ticker = scheduler.scheduleWithFixedDelay(this::tickSafely, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  /** Returns whether a stream is open and the hub has welcomed it. */
  public synchronized boolean isConnected() {
    return stream != null && stream.welcomed;
  }

  /** Returns the highest epoch seen in any hub message. */
  public synchronized long highestEpoch() {
    return highestEpoch;
  }

  /** Returns how many hub messages were ignored because their epoch was stale. */
  public long ignoredStaleMessages() {
    return ignoredStaleMessages.get();
  }

  /** Returns how many times the hub welcomed this agent, that is, how many streams opened. */
  public long welcomeCount() {
    return welcomes.get();
  }

  /**
   * Sends a status report for a slice. While disconnected the report is dropped and this returns
   * false; the caller sends its current reports again from the listener set with
   * {@link #onWelcome}.
   *
   * @return whether the report was handed to an open, welcomed stream. True does not mean the hub
   *     received it, because the stream may break before the message leaves.
   */
  public boolean reportStatus(WorkStatus status) {
    Stream current;
    synchronized (this) {
      current = stream;
    }
    if (current == null || !current.welcomed) {
      return false;
    }
    current.send(AgentMessage.newBuilder().setWorkStatus(status).build());
    return true;
  }

  /**
   * Sets the listener that runs after every Welcome, that is, after each (re)connect once the hub
   * accepted the stream. It runs on a gRPC thread after the inventory was sent, so a status report
   * it sends follows the Welcome; it must not block. Replaces an earlier listener.
   *
   * @throws IllegalStateException when the client was already started
   */
  public synchronized void onWelcome(Runnable listener) {
    if (state != State.NEW) {
      throw new IllegalStateException("HubClient cannot take a welcome listener: state is " + state);
    }
    welcomeListener = requireNonNull(listener, "listener");
  }

  /** Ends the stream and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    Stream toCancel;
    ManagedChannel toShutDown;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      toCancel = stream;
      stream = null;
      toShutDown = channel;
      channel = null;
      if (ticker != null) {
        ticker.cancel(false);
      }
    }
    if (toCancel != null) {
      toCancel.cancel("agent closing");
    }
    if (toShutDown != null) {
      toShutDown.shutdownNow();
      try {
        toShutDown.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Opens a new stream; runs on the scheduler. */
  private void connect() {
    MDC.put("cluster", cluster.value());
    try {
      connectOnce();
    } catch (RuntimeException e) {
      log.warn("Connect attempt failed. cluster={} reason={}", cluster, e.toString());
      scheduleReconnect(null);
    } finally {
      MDC.remove("cluster");
    }
  }

  private void connectOnce() {
    AgentCredentials current = credentials.load().orElseThrow(
        () -> new IllegalStateException("credentials disappeared from the store"));
    HubAddress hub;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      List<HubAddress> candidates = settings.candidates();
      hub = redirect.orElse(candidates.get(candidate % candidates.size()));
      // A redirect serves one attempt; after that stream ends, the configured addresses apply again.
      redirect = Optional.empty();
    }

    boolean renew;
    synchronized (this) {
      Instant now = clock.instant();
      renew = current.needsRenewal(now) && !now.isBefore(lastRenewalAttempt.plus(RENEWAL_RETRY));
      if (renew) {
        lastRenewalAttempt = now;
      }
    }
    if (renew) {
      // NOTE: the Renew call blocks this scheduler thread for up to its 10 s deadline when the
      // hub accepts connections but does not respond; the hourly limit bounds how often.
      try {
        current = joiner.renew(hub, current, cluster);
        credentials.save(current);
      } catch (RuntimeException e) {
        log.warn("Certificate renewal failed; using the current one. cluster={} reason={}", cluster, e.toString());
      }
    }

    ManagedChannel oldChannel = null;
    ManagedChannel target;
    Stream next;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      if (channel == null || !current.equals(channelCredentials) || !hub.equals(channelAddress)) {
        oldChannel = channel;
        channel = HubChannels.forConnect(hub, current, settings.maxMessageBytes());
        channelCredentials = current;
        channelAddress = hub;
        renewalTime = current.renewalTime();
      }
      target = channel;
      next = new Stream(clock.instant());
      stream = next;
    }
    if (oldChannel != null) {
      oldChannel.shutdownNow();
    }
    if (target.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      target.resetConnectBackoff();
    }

    FederationGrpc.newStub(target).connect(next);
    next.send(AgentMessage.newBuilder().setHello(hello()).build());
  }

  private Hello hello() {
    Hello.Builder hello =
        Hello.newBuilder()
            .setAgentVersion(settings.agentVersion())
            .setKubernetesVersion(settings.kubernetesVersion());
    for (AppliedSlice slice : work.held()) {
      hello.addHeld(
          HeldWork.newBuilder()
              .setKey(slice.key())
              .setGeneration(slice.generation())
              .setSliceHash(slice.sliceHash()));
    }
    synchronized (this) {
      hello.setHighestEpochSeen(highestEpoch);
    }
    return hello.build();
  }

  private void scheduleReconnect(Stream ended) {
    Duration delay;
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      if (ended != null && stream != ended) {
        // An older stream ended after a newer one started; the newer one owns reconnecting.
        return;
      }
      stream = null;
      boolean failedBeforeWelcome = ended == null || !ended.welcomed;
      boolean nextInRound = false;
      if (redirect.isEmpty() && failedBeforeWelcome) {
        // This replica is unreachable or not the leader: try the next configured address.
        candidate = (candidate + 1) % settings.candidates().size();
        nextInRound = candidate != 0;
      }
      if (redirect.isPresent() || nextInRound) {
        // Follow a NotLeader redirect, or go on through the replicas, at once. The backoff
        // applies only between rounds over all of them, so finding a new leader takes one round.
        delay = QUICK_RETRY.plusMillis(random.nextInt((int) QUICK_RETRY.toMillis()));
      } else {
        delay = settings.backoff().delay(attempt, random);
        attempt = Math.min(attempt + 1, 30);
      }
    }
    log.info("Reconnecting after a backoff. cluster={} delayMillis={}", cluster, delay.toMillis());
    scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    MDC.put("cluster", cluster.value());
    try {
      tick();
    } catch (RuntimeException e) {
      // A throwing periodic task would stop silently, so log and keep ticking.
      log.error("Agent tick failed. cluster={}", cluster, e);
    } finally {
      MDC.remove("cluster");
    }
  }

  /** Sends heartbeats and changed inventory, and runs the watchdog. */
  private void tick() {
    Stream current;
    Instant now = clock.instant();
    boolean heartbeatDue;
    boolean inventoryDue;
    boolean silent;
    synchronized (this) {
      current = stream;
      if (current == null || state != State.RUNNING) {
        return;
      }
      Duration watchdog = heartbeatInterval.multipliedBy(settings.watchdogMisses());
      silent = now.isAfter(current.lastReceived.plus(watchdog));
      heartbeatDue = current.welcomed && !now.isBefore(current.lastHeartbeatSent.plus(heartbeatInterval));
      inventoryDue = current.welcomed && !now.isBefore(lastInventoryRead.plus(settings.inventoryInterval()));
      if (heartbeatDue) {
        current.lastHeartbeatSent = now;
      }
      if (inventoryDue) {
        lastInventoryRead = now;
      }
    }

    if (silent) {
      log.warn("No message from the hub within the watchdog period; restarting the stream. cluster={}", cluster);
      current.cancel("watchdog: hub silent");
      scheduleReconnect(current);
      return;
    }
    if (renewalDue(now)) {
      // Renewal happens while connecting, so a stream on an ageing certificate is restarted.
      log.info("Client certificate is in its last third of validity; reconnecting to renew it. cluster={}", cluster);
      current.cancel("certificate renewal");
      scheduleReconnect(current);
      return;
    }
    if (heartbeatDue) {
      current.send(
          AgentMessage.newBuilder()
              .setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMillis(now.toEpochMilli()))
              .build());
    }
    if (inventoryDue) {
      sendInventoryIfChanged(current, false);
    }
  }

  private synchronized boolean renewalDue(Instant now) {
    return !now.isBefore(renewalTime) && !now.isBefore(lastRenewalAttempt.plus(RENEWAL_RETRY));
  }

  private void sendInventoryIfChanged(Stream current, boolean force) {
    Inventory now;
    try {
      now = inventory.current();
    } catch (RuntimeException e) {
      log.warn("Inventory read failed; keeping the last one. cluster={} reason={}", cluster, e.toString());
      return;
    }
    synchronized (this) {
      if (!force && now.equals(lastInventorySent)) {
        return;
      }
      lastInventorySent = now;
    }
    current.send(AgentMessage.newBuilder().setInventory(now).build());
  }

  /** One Connect stream; callbacks from a replaced stream are ignored. */
  private final class Stream implements ClientResponseObserver<AgentMessage, HubMessage> {
    private volatile ClientCallStreamObserver<AgentMessage> requests;
    private final Object sendLock = new Object();
    volatile Instant lastReceived;
    volatile boolean welcomed;
    Instant lastHeartbeatSent = Instant.EPOCH;

    Stream(Instant openedAt) {
      this.lastReceived = openedAt;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
      this.requests = requestStream;
    }

    void send(AgentMessage message) {
      synchronized (sendLock) {
        try {
          requests.onNext(message);
        } catch (RuntimeException e) {
          // The call is already cancelled or failed; onError schedules the reconnect.
          log.debug("Send on an ended stream dropped. cluster={} reason={}", cluster, e.toString());
        }
      }
    }

    void cancel(String reason) {
      requests.cancel(reason, null);
    }

    @Override
    public void onNext(HubMessage message) {
      MDC.put("cluster", cluster.value());
      try {
        lastReceived = clock.instant();
        handle(message);
      } finally {
        MDC.remove("cluster");
      }
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      log.info(
          "Hub stream ended. cluster={} code={} description={}",
          cluster,
          status.getCode(),
          status.getDescription());
      scheduleReconnect(this);
    }

    @Override
    public void onCompleted() {
      log.info("Hub completed the stream. cluster={}", cluster);
      synchronized (sendLock) {
        try {
          requests.onCompleted();
        } catch (RuntimeException e) {
          log.debug("Half-close on an ended stream failed. cluster={}", cluster);
        }
      }
      scheduleReconnect(this);
    }

    private void handle(HubMessage message) {
      if (message.hasNotLeader()) {
        String leader = message.getNotLeader().getLeaderAddress();
        log.info("Hub replica is not the leader. cluster={} leader={}", cluster, leader);
        if (!leader.isEmpty()) {
          try {
            HubAddress address = HubAddress.parse(leader);
            synchronized (HubClient.this) {
              redirect = Optional.of(address);
            }
          } catch (IllegalArgumentException e) {
            log.warn("NotLeader named an invalid leader address. cluster={} leader={}", cluster, leader);
          }
        }
        return;
      }

      synchronized (HubClient.this) {
        if (message.getEpoch() < highestEpoch) {
          ignoredStaleMessages.incrementAndGet();
          log.warn(
              "Ignored a message from a stale epoch. cluster={} epoch={} highestEpoch={} kind={}",
              cluster,
              message.getEpoch(),
              highestEpoch,
              message.getKindCase());
          return;
        }
        highestEpoch = message.getEpoch();
      }

      switch (message.getKindCase()) {
        case WELCOME -> onWelcome(message);
        case WORK_UPSERT -> {
          var upsert = message.getWorkUpsert();
          var outcome =
              work.upsert(upsert.getKey(), upsert.getGeneration(), upsert.getSliceJson(), upsert.getSliceHash());
          log.debug(
              "Work upsert handled. cluster={} graphUid={} generation={} outcome={}",
              cluster,
              upsert.getKey().getGraphUid(),
              upsert.getGeneration(),
              outcome);
          ack(upsert.getKey(), upsert.getGeneration(), message.getEpoch());
        }
        case WORK_DELETE -> {
          var delete = message.getWorkDelete();
          work.remove(delete.getKey(), delete.getGeneration());
          ack(delete.getKey(), delete.getGeneration(), message.getEpoch());
        }
        case SYNC_COMPLETE -> {
          Set<String> keep = new HashSet<>();
          for (WorkKey key : message.getSyncComplete().getKeysList()) {
            keep.add(key.getGraphUid());
          }
          int removed = work.retainOnly(keep);
          log.info("Synchronized with the hub. cluster={} held={} removed={}", cluster, keep.size(), removed);
        }
        case PING -> log.trace("Ping received. cluster={}", cluster);
        default -> log.warn("Unknown hub message ignored. cluster={} kind={}", cluster, message.getKindCase());
      }
    }

    private void onWelcome(HubMessage message) {
      var welcome = message.getWelcome();
      synchronized (HubClient.this) {
        attempt = 0;
        if (welcome.getHeartbeatIntervalSeconds() > 0) {
          heartbeatInterval = Duration.ofSeconds(welcome.getHeartbeatIntervalSeconds());
        }
      }
      welcomed = true;
      welcomes.incrementAndGet();
      log.info(
          "Hub welcomed the agent. cluster={} epoch={} heartbeatSeconds={}",
          cluster,
          message.getEpoch(),
          welcome.getHeartbeatIntervalSeconds());
      sendInventoryIfChanged(this, true);
      try {
        welcomeListener.run();
      } catch (RuntimeException e) {
        log.error("Welcome listener failed; status reports may be missing until they change. cluster={}", cluster, e);
      }
    }

    private void ack(WorkKey key, long generation, long epoch) {
      send(
          AgentMessage.newBuilder()
              .setAck(Ack.newBuilder().setKey(key).setGeneration(generation).setEpoch(epoch))
              .build());
    }
  }
}
