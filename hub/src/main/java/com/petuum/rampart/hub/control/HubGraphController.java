package com.petuum.rampart.hub.control;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.common.status.ApiErrorText;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.WorkStatus;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.model.GraphKey;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The hub's graph controller: while this replica leads, it places graphs, sends their slices to
 * the agents and writes what the agents report into graph status.
 *
 * <p>One thread does all of it: it lists graphs, policies and member clusters every poll
 * interval, queues what changed, and reconciles due graphs one at a time. Scheduling a graph
 * takes microseconds and a status write a few milliseconds, so one thread keeps up with
 * thousands of graphs and needs no locking around the reconciler. Agents' reports arrive on gRPC
 * threads through {@link #onWorkStatus}, which only records them and queues the graph.
 *
 * <p>Terms: when the thread finds a new leadership epoch, it drops its record of what the previous term sent,
 * lists everything, and reconciles every graph before it marks the epoch synced. The agent
 * endpoint should be given {@link #gatedLeadership}, which reports leadership only once the
 * epoch is synced, so no agent is told its set of slices (SyncComplete) from a half-built one.
 *
 * <p>Lifecycle: {@link #start} once, {@link #close} idempotent; close waits up to 10 seconds
 * for the thread.
 */
public final class HubGraphController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HubGraphController.class);
  private static final Duration BASE_RETRY_DELAY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(2);
  private static final Duration POLL_AGAIN = Duration.ofMillis(250);

  private final Leadership leadership;
  private final ControllerSettings settings;
  private final Clock clock;
  private final HubCache cache;
  private final ReconcileQueue queue;
  private final ReportedStatuses reports = new ReportedStatuses();
  private final GraphReconciler reconciler;
  private final ControllerMetrics metrics;
  private final AtomicReference<Epoch> syncedEpoch = new AtomicReference<>();
  private final Thread thread;

  @GuardedBy("this")
  private boolean started;
  private volatile boolean closed;

  /**
   * Creates the controller, unstarted.
   *
   * @param registry receives the controller's meters: scheduling latency, queue depth,
   *     unschedulable graphs, reconcile errors by reason and heartbeat age per cluster
   */
  public HubGraphController(ApiClient client, Dispatcher dispatcher, Leadership leadership, ControllerSettings settings,
      Clock clock, MeterRegistry registry) {
    this(client, dispatcher, leadership, leadership instanceof WriteFence fence ? fence : WriteFence.NONE, settings,
        clock, registry);
  }

  /**
   * Creates the controller, unstarted, with a fence checked before every write.
   *
   * @param fence refuses writes of a replica whose epoch is no longer the newest
   */
  public HubGraphController(ApiClient client, Dispatcher dispatcher, Leadership leadership, WriteFence fence,
      ControllerSettings settings, Clock clock, MeterRegistry registry) {
    this.leadership = requireNonNull(leadership, "leadership");
    this.metrics = new ControllerMetrics(requireNonNull(registry, "registry"));
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    HubObjects objects = new HubObjects(client);
    this.queue = new ReconcileQueue(clock, BASE_RETRY_DELAY, MAX_RETRY_DELAY);
    this.cache = new HubCache(objects, new HubCache.Listener() {
      @Override
      public void graphChanged(GraphKey key) {
        queue.add(key);
      }

      @Override
      public void placementInputsChanged() {
        enqueueAll();
      }
    });
    this.reconciler = new GraphReconciler(objects, cache, reports, requireNonNull(dispatcher, "dispatcher"),
        Scheduler.withDefaults(), new Ledger(clock, settings.reservationTimeout()), clock, settings.deletionWait(),
        settings.failoverSettle(), metrics, requireNonNull(fence, "fence"));
    metrics.bindQueue(queue);
    this.thread = new Thread(this::run, "hub-graph-controller");
    this.thread.setDaemon(true);
  }

  /** Starts the controller's thread. */
  public synchronized void start() {
    checkState(!started && !closed, "the graph controller can start only once");
    started = true;
    thread.start();
  }

  /**
   * Returns a view of the leadership that reports an epoch only after this controller synced it.
   * Give it to the agent endpoint.
   */
  public Leadership gatedLeadership() {
    return new Leadership() {
      @Override
      public Optional<Epoch> currentEpoch() {
        Optional<Epoch> current = leadership.currentEpoch();
        return current.filter(epoch -> epoch.equals(syncedEpoch.get()));
      }

      @Override
      public Optional<String> leaderAddress() {
        return leadership.leaderAddress();
      }
    };
  }

  /** Returns whether this replica leads and has synced its term, for tests and health checks. */
  public boolean synced() {
    return gatedLeadership().isLeader();
  }

  /** Records an agent's report and queues its graph. Called on gRPC threads; does not block. */
  public void onWorkStatus(ClusterName cluster, WorkStatus status) {
    long graphGeneration = SliceGeneration.graphGeneration(status.getGeneration());
    reports.put(status.getKey().getGraphUid(),
        new ReportedStatus(cluster.value(), status, graphGeneration, clock.instant()));
    queue.add(GraphKey.of(status.getKey().getGraphNamespace(), status.getKey().getGraphName()));
  }

  @Override
  public void close() {
    closed = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("Graph controller stopped.");
  }

  private void run() {
    Epoch term = null;
    // An epoch the fence refused: the election may still report it for a moment, but this
    // replica must not start another term with it.
    Epoch fencedOut = null;
    Instant nextPoll = Instant.MIN;
    Instant nextResync = clock.instant().plus(settings.resyncPeriod());
    log.info("Graph controller started. poll={} resync={}", settings.pollInterval(), settings.resyncPeriod());
    while (!closed) {
      try {
        Optional<Epoch> current = leadership.currentEpoch();
        if (current.isEmpty()) {
          if (term != null) {
            log.info("Lost leadership; the graph controller stops deciding. epoch={}", term);
            term = null;
            syncedEpoch.set(null);
          }
          queue.awaitWork(settings.pollInterval());
          continue;
        }
        if (current.get().equals(fencedOut)) {
          queue.awaitWork(settings.pollInterval());
          continue;
        }
        if (!current.get().equals(term)) {
          term = current.get();
          if (!startTerm(term)) {
            fencedOut = term;
            term = null;
            continue;
          }
          nextPoll = clock.instant().plus(settings.pollInterval());
          continue;
        }
        if (!clock.instant().isBefore(nextPoll)) {
          cache.poll();
          metrics.recordHeartbeatAges(cache.members(), clock.instant());
          nextPoll = clock.instant().plus(settings.pollInterval());
        }
        if (!clock.instant().isBefore(nextResync)) {
          enqueueAll();
          nextResync = clock.instant().plus(settings.resyncPeriod());
        }
        for (GraphKey key : queue.takeDue()) {
          if (closed || !leadership.currentEpoch().equals(Optional.of(term))) {
            queue.add(key);
            break;
          }
          if (!reconcile(key, term)) {
            fencedOut = term;
            term = null;
            syncedEpoch.set(null);
            break;
          }
        }
        Duration untilPoll = Duration.between(clock.instant(), nextPoll);
        if (!untilPoll.isNegative() && !untilPoll.isZero()) {
          queue.awaitWork(untilPoll);
        }
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("The graph controller loop failed unexpectedly; continuing.", e);
      }
    }
  }

  /**
   * Lists everything and reconciles every graph before agents may connect in this term.
   *
   * @return false when the fence refused a write, so the term must not start
   */
  private boolean startTerm(Epoch epoch) {
    MDC.put("epoch", epoch.toString());
    log.info("Leading; rebuilding placements and slices from the hub apiserver. epoch={}", epoch);
    reconciler.startTerm();
    while (!closed && !cache.poll()) {
      try {
        queue.awaitWork(settings.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    queue.takeDue();
    for (GraphKey key : cache.graphKeys()) {
      if (!reconcile(key, epoch)) {
        return false;
      }
    }
    syncedEpoch.set(epoch);
    log.info("Synced the term; agents may connect. epoch={} graphs={}", epoch, cache.graphKeys().size());
    return true;
  }

  /** Reconciles one graph; returns false when the fence refused a write. */
  private boolean reconcile(GraphKey key, Epoch epoch) {
    MDC.put("graph", key.toString());
    MDC.put("epoch", epoch.toString());
    try {
      GraphReconciler.Outcome outcome = reconciler.reconcile(key, epoch);
      queue.forget(key);
      outcome.recheckAfter().ifPresent(delay -> queue.addAfter(key, delay));
      return true;
    } catch (FencedOutException e) {
      metrics.fencedWrite();
      queue.add(key);
      log.warn("The fence rejected a write; this replica stops deciding until it leads with a new epoch. graph={} "
          + "epoch={}", key, epoch);
      return false;
    } catch (ApiException e) {
      Duration delay = queue.addRateLimited(key);
      metrics.reconcileError(e.getCode() == 409 ? "conflict" : "apiserver");
      if (e.getCode() == 409) {
        log.debug("Graph changed while reconciling; retrying. graph={} delay={}", key, delay);
      } else {
        log.warn("Reconcile failed; retrying. graph={} code={} delay={} error={}", key, e.getCode(), delay,
            ApiErrorText.of(e.getCode(), e.getResponseBody(), e.getMessage()));
      }
    } catch (RuntimeException e) {
      Duration delay = queue.addRateLimited(key);
      metrics.reconcileError("unexpected");
      log.error("Reconcile failed with an unexpected error; retrying. graph={} delay={}", key, delay, e);
    } finally {
      MDC.remove("graph");
    }
    return true;
  }

  private void enqueueAll() {
    for (GraphKey key : cache.graphKeys()) {
      queue.add(key);
    }
  }
}
