package com.petuum.rampart.hub.leader;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.annotations.VisibleForTesting;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership of one hub replica, elected with a Curator {@link LeaderLatch} and fenced with an
 * {@link EpochFence} epoch.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Fenced.</b> This replica reports itself leader only after it raised the epoch in
 *       ZooKeeper with a transaction that checked its latch node, so every term has its own,
 *       higher epoch, even when Curator briefly reports two leaders.
 *   <li><b>Suspension is loss.</b> A SUSPENDED or LOST connection ends leadership at once, before
 *       the session expires: {@link #currentEpoch} is empty from that moment and listeners hear
 *       {@code leadershipLost}. After RECONNECTED the replica runs for a new term with a new epoch;
 *       it never resumes the old one.
 *   <li><b>Self-healing.</b> A watchdog checks every interval that this replica's latch node is
 *       among the participants, and rejoins when it is not (a latch can drop out silently after
 *       a reconnect). It also retries an acquisition that a missed callback left undone, and
 *       refreshes the cached leader address.
 * </ul>
 *
 * <p>Threading: {@link #currentEpoch}, {@link #leaderAddress} and {@link #isLeader} read volatile
 * fields and never block, so gRPC threads may call them. ZooKeeper calls and listener callbacks
 * run on two threads that this class owns: {@code hub-leadership} for ZooKeeper calls, and
 * {@code hub-leadership-notifier} for callbacks, so a ZooKeeper call blocked by a lost
 * connection never delays the news that leadership ended.
 *
 * <p>Lifecycle: {@link #start} once, {@link #close} any number of times. The
 * {@link CuratorFramework} passed in is owned by the caller, who starts it before {@link #start}
 * and closes it after {@link #close}.
 */
public final class ZooKeeperLeadership implements Leadership, WriteFence, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperLeadership.class);

  /** The lifecycle of this object; the term of office is tracked separately. */
  private enum State {
    /** Constructed, not started. */
    LATENT,
    /** Taking part in the election. */
    STARTED,
    /** Closed; terminal. */
    CLOSED
  }

  private final CuratorFramework client;
  private final String latchPath;
  private final String replicaAddress;
  private final EpochFence fence;
  private final Duration watchdogInterval;
  private final CopyOnWriteArrayList<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  /** Runs blocking ZooKeeper work: fencing, the watchdog, rejoining. */
  private final ScheduledExecutorService executor;
  /**
   * Runs listener callbacks in order. Separate from {@link #executor} so that a ZooKeeper call
   * blocked by a lost connection cannot delay the news that leadership ended.
   */
  private final ScheduledExecutorService notifier;
  private final ConnectionStateListener connectionListener = this::connectionStateChanged;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private State state = State.LATENT;

  @GuardedBy("lock")
  private LeaderLatch latch;

  /** The epoch of the current term; empty while this replica does not lead. */
  private volatile Optional<Epoch> epoch = Optional.empty();

  /** The leader's Connect address as last read from ZooKeeper; may be stale by one interval. */
  private volatile Optional<String> leaderAddress = Optional.empty();

  /**
   * Creates the leadership of one replica.
   *
   * @param client a started Curator client, owned by the caller
   * @param basePath the ZooKeeper folder of this hub, such as {@code /rampart/hub}; the latch
   *     lives in {@code <basePath>/leader} and the epoch in {@code <basePath>/epoch}
   * @param replicaAddress this replica's Connect endpoint as {@code host:port}; followers send it
   *     to agents
   * @param watchdogInterval how often the watchdog runs; 5 s is a sensible default
   */
  public ZooKeeperLeadership(
      CuratorFramework client, String basePath, String replicaAddress, Duration watchdogInterval) {
    this.client = requireNonNull(client, "client");
    requireNonNull(basePath, "basePath");
    checkArgument(basePath.startsWith("/") && !basePath.endsWith("/"),
        "basePath: %s (expected: an absolute ZooKeeper path without a trailing slash, such as /rampart/hub)", basePath);
    this.replicaAddress = requireNonNull(replicaAddress, "replicaAddress");
    checkArgument(!watchdogInterval.isNegative() && !watchdogInterval.isZero(),
        "watchdogInterval: %s (expected: positive)", watchdogInterval);
    this.latchPath = basePath + "/leader";
    this.fence = new EpochFence(client, basePath + "/epoch");
    this.watchdogInterval = watchdogInterval;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "hub-leadership"));
    this.notifier = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "hub-leadership-notifier"));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Adds a listener; it hears only changes after this call. */
  public void addListener(LeadershipListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /** Returns the fence, for callers that verify their epoch before a write. */
  public EpochFence fence() {
    return fence;
  }

  /**
   * Joins the election and starts the watchdog.
   *
   * @throws IllegalStateException when called twice or after {@link #close}
   */
  public void start() {
    synchronized (lock) {
      if (state != State.LATENT) {
        throw new IllegalStateException("Cannot start leadership in state " + state);
      }
      state = State.STARTED;
      latch = newLatch();
    }
    // Delivered on Curator's own thread: ending leadership must not wait behind blocked calls.
    client.getConnectionStateListenable().addListener(connectionListener);
    startLatch();
    long millis = watchdogInterval.toMillis();
    executor.scheduleWithFixedDelay(this::watchdog, millis, millis, TimeUnit.MILLISECONDS);
    log.info("Joined the hub leader election. replica={} path={}", replicaAddress, latchPath);
  }

  @Override
  public Optional<Epoch> currentEpoch() {
    return epoch;
  }

  /**
   * Admits a write when this replica still leads with {@code epoch} and ZooKeeper's fencing
   * epoch still equals it. A replica whose session expired while it was frozen fails the
   * ZooKeeper read or finds a newer epoch, so its writes are refused even before Curator reports
   * the loss.
   */
  @Override
  public boolean admits(Epoch epoch) {
    if (!this.epoch.equals(Optional.of(epoch))) {
      return false;
    }
    try {
      return fence.isCurrent(epoch);
    } catch (Exception e) {
      log.warn("Cannot confirm the fencing epoch; refusing the write. replica={} epoch={} error={}",
          replicaAddress, epoch, e.toString());
      return false;
    }
  }

  @Override
  public Optional<String> leaderAddress() {
    return epoch.isPresent() ? Optional.of(replicaAddress) : leaderAddress;
  }

  private LeaderLatch newLatch() {
    LeaderLatch created = new LeaderLatch(client, latchPath, replicaAddress, LeaderLatch.CloseMode.SILENT);
    // Delivered on Curator's thread; fencing blocks on ZooKeeper, so it moves to the executor.
    created.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        submit(() -> acquire("won the election"));
      }

      @Override
      public void notLeader() {
        lose("the latch reported lost leadership");
      }
    });
    return created;
  }

  private void startLatch() {
    LeaderLatch current;
    synchronized (lock) {
      current = latch;
    }
    try {
      current.start();
    } catch (Exception e) {
      throw new IllegalStateException("Failed to join the hub leader election at " + latchPath, e);
    }
  }

  /** Runs on the leadership thread: fences a new epoch when this replica has the latch. */
  private void acquire(String why) {
    LeaderLatch current;
    synchronized (lock) {
      if (state != State.STARTED || epoch.isPresent()) {
        return;
      }
      current = latch;
    }
    if (!current.hasLeadership() || !client.getZookeeperClient().isConnected()) {
      return;
    }
    Epoch fenced;
    try {
      fenced = fence.advance(current.getOurPath());
    } catch (KeeperException.NoNodeException e) {
      log.warn("Lost the latch node while fencing a new epoch; not leading. replica={}", replicaAddress);
      return;
    } catch (Exception e) {
      log.warn("Failed to fence a new epoch; the watchdog retries. replica={}", replicaAddress, e);
      return;
    }
    synchronized (lock) {
      // The connection may have been suspended, or the replica closed, while fencing.
      if (state != State.STARTED || latch != current || !current.hasLeadership()
          || !client.getZookeeperClient().isConnected()) {
        log.info("Leadership ended while fencing; epoch unused. replica={} epoch={}", replicaAddress, fenced);
        return;
      }
      epoch = Optional.of(fenced);
    }
    log.info("Leading the hub ({}). replica={} epoch={}", why, replicaAddress, fenced);
    try {
      notifier.execute(() -> {
        for (LeadershipListener listener : listeners) {
          notify(() -> listener.leadershipAcquired(fenced));
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("Leadership already closed; skipped notifying listeners of the new term. replica={}", replicaAddress);
    }
  }

  /** Ends the current term at once; may run on any thread. */
  private void lose(String why) {
    Optional<Epoch> ended;
    synchronized (lock) {
      ended = epoch;
      epoch = Optional.empty();
    }
    if (ended.isEmpty()) {
      return;
    }
    log.warn("Stopped leading the hub because {}. replica={} epoch={}", why, replicaAddress, ended.get());
    try {
      notifier.execute(() -> {
        for (LeadershipListener listener : listeners) {
          notify(() -> listener.leadershipLost(ended.get()));
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("Leadership already closed; skipped notifying listeners of the loss. replica={}", replicaAddress);
    }
  }

  private void connectionStateChanged(CuratorFramework source, ConnectionState newState) {
    switch (newState) {
      case SUSPENDED, LOST -> lose("the ZooKeeper connection is " + newState);
      case RECONNECTED -> {
        // A new term needs a new epoch; the latch decides whether this replica may run for it.
        submit(() -> acquire("reconnected while holding the latch"));
      }
      default -> {
        // CONNECTED and READ_ONLY need no action.
      }
    }
  }

  @VisibleForTesting
  void watchdog() {
    LeaderLatch current;
    synchronized (lock) {
      if (state != State.STARTED) {
        return;
      }
      current = latch;
    }
    if (!client.getZookeeperClient().isConnected()) {
      return;
    }
    try {
      boolean present = current.getParticipants().stream().map(Participant::getId).anyMatch(replicaAddress::equals);
      if (!present && current.getState() == LeaderLatch.State.STARTED) {
        log.warn("This replica's latch node is missing from the election; rejoining. replica={}", replicaAddress);
        rejoin(current);
        return;
      }
      Participant leader = current.getLeader();
      leaderAddress = leader.isLeader() ? Optional.of(leader.getId()) : Optional.empty();
      if (current.hasLeadership() && epoch.isEmpty()) {
        acquire("the watchdog found the latch held without an epoch");
      }
    } catch (Exception e) {
      log.debug("Leadership watchdog could not read the election; retrying next interval. replica={}", replicaAddress, e);
    }
  }

  private void rejoin(LeaderLatch stale) {
    lose("the latch dropped out of the election");
    LeaderLatch fresh;
    synchronized (lock) {
      if (state != State.STARTED || latch != stale) {
        return;
      }
      fresh = newLatch();
      latch = fresh;
    }
    closeQuietly(stale);
    try {
      fresh.start();
    } catch (Exception e) {
      log.warn("Failed to rejoin the hub leader election; the watchdog retries. replica={}", replicaAddress, e);
    }
  }

  private void submit(Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      log.debug("Leadership already closed; dropping work. replica={}", replicaAddress);
    }
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.error("A leadership listener failed. replica={}", replicaAddress, e);
    }
  }

  /** Leaves the election and ends leadership. Idempotent. */
  @Override
  public void close() {
    LeaderLatch current;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      boolean wasStarted = state == State.STARTED;
      state = State.CLOSED;
      current = wasStarted ? latch : null;
    }
    lose("the replica is closing");
    client.getConnectionStateListenable().removeListener(connectionListener);
    if (current != null) {
      closeQuietly(current);
    }
    shutdown(executor);
    shutdown(notifier);
    log.info("Left the hub leader election. replica={}", replicaAddress);
  }

  private static void shutdown(ScheduledExecutorService service) {
    service.shutdown();
    try {
      if (!service.awaitTermination(10, TimeUnit.SECONDS)) {
        service.shutdownNow();
      }
    } catch (InterruptedException e) {
      service.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly(LeaderLatch closing) {
    try {
      closing.close();
    } catch (IOException | IllegalStateException e) {
      log.debug("Closing a leader latch failed. replica={}", replicaAddress, e);
    }
  }
}
