package com.petuum.rampart.agent.controller;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.agent.helm.HelmReleases;
import com.petuum.rampart.common.status.ApiErrorText;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent's local graph controller: watches every RampartGraph on the member's apiserver and
 * reconciles each one through {@link GraphReconciler}, both graphs the hub wrote and graphs users
 * applied to the member directly.
 *
 * <ul>
 *   <li>A {@link GraphPoller} lists the graphs every {@link ControllerSettings#pollInterval()}
 *       and queues the key of each graph that was added, changed or deleted, and of every graph
 *       once per {@link ControllerSettings#resyncPeriod()}.
 *   <li>{@link ControllerSettings#workers()} threads take keys from a {@link WorkQueue}; a graph
 *       is reconciled by one worker at a time.
 *   <li>A reconcile that fails (an apiserver error, a Helm failure) is retried with a per-graph
 *       backoff from 1 second to 5 minutes; one that waits for workloads is looked at again after
 *       {@link ControllerSettings#readinessPollInterval()}.
 * </ul>
 *
 * <p>Thread-safe. {@link #start} may be called once; {@link #close} is idempotent and waits up to
 * 30 seconds for running reconciles, which may be inside a Helm call.
 */
public final class LocalGraphController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalGraphController.class);
  private static final Duration BASE_RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final Object lock = new Object();
  private final ApiClient client;
  private final ControllerSettings settings;
  private final GraphReconciler reconciler;
  private final ScheduledExecutorService scheduler;
  private final WorkQueue queue;
  private final Clock clock;
  private final MeterRegistry registry;

  @GuardedBy("lock")
  private State state = State.NEW;
  @GuardedBy("lock")
  private final List<Thread> workers = new ArrayList<>();

  /**
   * Creates a controller of the cluster {@code client} talks to.
   *
   * @param client the member's apiserver; the caller owns it
   * @param kubeconfig the same cluster for Helm, or empty in a pod (Helm then uses the in-cluster
   *     service account)
   * @param hubSlices the hub's copy of hub-owned graphs; {@link HubSlices#NONE} for none
   */
  public LocalGraphController(
      ApiClient client, Optional<Path> kubeconfig, ControllerSettings settings, HubSlices hubSlices, Clock clock) {
    this(client, kubeconfig, settings, hubSlices, clock, new SimpleMeterRegistry());
  }

  /**
   * Creates a controller that records Helm operations and failed reconciles in {@code registry}.
   */
  public LocalGraphController(ApiClient client, Optional<Path> kubeconfig, ControllerSettings settings,
      HubSlices hubSlices, Clock clock, MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    // At zero from the start, so dashboards see the series before the first error.
    errorCounter("apiserver");
    errorCounter("unexpected");
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    CoreV1Api core = new CoreV1Api(client);
    this.reconciler = new GraphReconciler(
        new GraphApi(client),
        new MemberObjects(core),
        new Workloads(new AppsV1Api(client), new BatchV1Api(client), core, new NetworkingV1Api(client)),
        new HelmReleases(kubeconfig, settings.workFolder(), registry),
        requireNonNull(hubSlices, "hubSlices"),
        settings,
        requireNonNull(clock, "clock"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "graph-controller-delays");
      thread.setDaemon(true);
      return thread;
    });
    this.queue = new WorkQueue(scheduler, BASE_RETRY_DELAY, MAX_RETRY_DELAY);
  }

  /**
   * Starts polling and the workers.
   *
   * @throws IllegalStateException when called twice or after {@link #close}
   */
  public void start() {
    synchronized (lock) {
      checkState(state == State.NEW, "cannot start the graph controller: it is %s", state);
      state = State.STARTED;
      GraphPoller poller = new GraphPoller(client, settings.resyncPeriod(), clock, queue::add);
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              poller.poll();
            } catch (RuntimeException e) {
              log.error("Polling RampartGraphs failed unexpectedly; polling again.", e);
            }
          },
          0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
      for (int i = 0; i < settings.workers(); i++) {
        Thread worker = new Thread(this::work, "graph-controller-" + i);
        worker.setDaemon(true);
        worker.start();
        workers.add(worker);
      }
      log.info("Graph controller started. workers={} poll={} resync={}",
          settings.workers(), settings.pollInterval(), settings.resyncPeriod());
    }
  }

  /** Stops polling and the workers. Safe to call more than once. */
  @Override
  public void close() {
    List<Thread> running;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      running = List.copyOf(workers);
    }
    queue.shutDown();
    scheduler.shutdownNow();
    for (Thread worker : running) {
      try {
        worker.join(TimeUnit.SECONDS.toMillis(30));
        if (worker.isAlive()) {
          log.warn("A graph controller worker did not stop within 30 seconds. thread={}", worker.getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.info("Graph controller stopped.");
  }

  private void work() {
    while (true) {
      Optional<GraphKey> next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next.isEmpty()) {
        return;
      }
      GraphKey key = next.get();
      MDC.put("graph", key.toString());
      try {
        GraphReconciler.Outcome outcome = reconciler.reconcile(key);
        switch (outcome) {
          case DONE -> queue.forget(key);
          case POLL -> {
            queue.forget(key);
            queue.addAfter(key, settings.readinessPollInterval());
          }
          case RETRY -> {
            Duration delay = queue.addRateLimited(key);
            log.info("Graph has failed components; retrying. graph={} delay={}", key, delay);
          }
        }
      } catch (ApiException e) {
        Duration delay = queue.addRateLimited(key);
        countError("apiserver");
        log.warn("Reconcile failed; retrying. graph={} code={} delay={} error={}",
            key, e.getCode(), delay, ApiErrorText.of(e.getCode(), e.getResponseBody(), e.getMessage()));
      } catch (RuntimeException e) {
        Duration delay = queue.addRateLimited(key);
        countError("unexpected");
        log.error("Reconcile failed with an unexpected error; retrying. graph={} delay={}", key, delay, e);
      } finally {
        queue.done(key);
        MDC.remove("graph");
      }
    }
  }

  private void countError(String reason) {
    errorCounter(reason).increment();
  }

  private Counter errorCounter(String reason) {
    return Counter.builder("rampart_reconcile_errors")
        .description("Failed reconciles of local graphs, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
