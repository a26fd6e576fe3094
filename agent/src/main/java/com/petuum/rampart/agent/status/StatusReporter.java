package com.petuum.rampart.agent.status;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.agent.slice.LocalGraphWriter;
import com.petuum.rampart.common.status.ApiErrorText;
import com.petuum.rampart.proto.v1.WorkStatus;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the status of every hub-owned local graph to the hub as it changes.
 *
 * <ul>
 *   <li><b>Source.</b> Every {@code pollInterval} it lists the graphs labelled
 *       {@code rampart.petuum.com/owned-by: hub} and builds one {@link WorkStatus} per graph with
 *       {@link LocalGraphStatuses}.
 *   <li><b>Only changes.</b> A report is sent when it differs from the last one sent for its
 *       graph UID. A report the sender could not send (disconnected) is tried again at the next
 *       poll.
 *   <li><b>No flood.</b> A graph is reported at most once per {@code minSendInterval}; a change
 *       within that time waits for the first poll after it.
 *   <li><b>Reconnect.</b> {@link #resendAll} forgets what was sent, so the next poll, which it
 *       starts at once, reports every graph again. The agent calls it after every Welcome, so a
 *       new hub leader learns the state of every slice.
 * </ul>
 *
 * <p>Thread-safe. Polls and sends run on one thread that the reporter owns, so they never
 * overlap, and the record of sent reports is confined to it. {@link #start} may be called once;
 * {@link #close} is idempotent.
 */
public final class StatusReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The poll interval the agent uses; reports add at most this much to the hub's status latency. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
  /** The shortest time between two reports of one graph that the agent uses. */
  public static final Duration DEFAULT_MIN_SEND_INTERVAL = Duration.ofMillis(200);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final CustomObjectsApi customObjects;
  private final StatusSender sender;
  private final Duration pollInterval;
  private final Duration minSendInterval;
  private final Clock clock;
  private final ScheduledExecutorService executor;

  @GuardedBy("this")
  private State state = State.NEW;

  /** The last report sent per graph UID; confined to the executor thread. */
  private final Map<String, WorkStatus> lastSent = new HashMap<>();
  /** When each graph UID was last reported; confined to the executor thread. */
  private final Map<String, Instant> lastSentAt = new HashMap<>();
  /** How many polls in a row failed to list the graphs; confined to the executor thread. */
  private long failedPolls;

  /**
   * Creates a reporter of the graphs on the cluster {@code client} talks to.
   *
   * @param client the member's apiserver; the caller owns it
   * @param sender where reports go; the caller owns it
   * @param pollInterval how often the local graphs are listed
   * @param minSendInterval the shortest time between two reports of one graph
   * @param clock the time source of {@code minSendInterval}
   */
  public StatusReporter(
      ApiClient client, StatusSender sender, Duration pollInterval, Duration minSendInterval, Clock clock) {
    this.customObjects = new CustomObjectsApi(requireNonNull(client, "client"));
    this.sender = requireNonNull(sender, "sender");
    checkArgument(pollInterval.toMillis() > 0, "pollInterval: %s (expected: at least 1 ms)", pollInterval);
    checkArgument(!minSendInterval.isNegative(), "minSendInterval: %s (expected: zero or positive)", minSendInterval);
    this.pollInterval = pollInterval;
    this.minSendInterval = minSendInterval;
    this.clock = requireNonNull(clock, "clock");
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "status-reporter");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts polling.
   *
   * @throws IllegalStateException when called twice or after {@link #close}
   */
  public synchronized void start() {
    checkState(state == State.NEW, "cannot start the status reporter: it is %s", state);
    state = State.STARTED;
    executor.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    log.info("Status reporter started. pollMillis={} minSendMillis={}", pollInterval.toMillis(), minSendInterval.toMillis());
  }

  /**
   * Forgets every report sent so far and polls at once, so every hub-owned graph is reported
   * again. Returns without waiting; safe to call from a gRPC thread. Does nothing once closed.
   */
  public void resendAll() {
    try {
      executor.execute(() -> {
        lastSent.clear();
        lastSentAt.clear();
        pollSafely();
      });
    } catch (RejectedExecutionException e) {
      log.debug("Resend requested after the status reporter closed; ignored.");
    }
  }

  /** Stops polling. Safe to call more than once. */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("The status reporter's poll did not stop within 10 seconds.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Status reporter stopped.");
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // A throwing periodic task would stop silently, so log and keep polling.
      log.error("Status report poll failed unexpectedly; polling again.", e);
    }
  }

  private void poll() {
    Optional<JsonNode> list = listHubOwnedGraphs();
    if (list.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (JsonNode graph : list.get().path("items")) {
      Optional<WorkStatus> report = LocalGraphStatuses.of(graph);
      if (report.isEmpty()) {
        continue;
      }
      String uid = report.get().getKey().getGraphUid();
      present.add(uid);
      if (report.get().equals(lastSent.get(uid))) {
        continue;
      }
      Instant previous = lastSentAt.get(uid);
      if (previous != null && now.isBefore(previous.plus(minSendInterval))) {
        continue;
      }
      if (sender.send(report.get())) {
        lastSent.put(uid, report.get());
        lastSentAt.put(uid, now);
        log.debug("Reported a graph's status to the hub. graphUid={} graph={}/{} generation={} phase={}",
            uid, report.get().getKey().getGraphNamespace(), report.get().getKey().getGraphName(),
            report.get().getGeneration(), report.get().getPhase());
      }
    }
    // Forget deleted graphs, so the maps do not grow and a graph created again is reported.
    lastSent.keySet().retainAll(present);
    lastSentAt.keySet().retainAll(present);
  }

  /** Lists the hub-owned graphs as Jackson trees; empty when the list failed. */
  private Optional<JsonNode> listHubOwnedGraphs() {
    try {
      Call call = customObjects.listClusterCustomObject(LocalGraphWriter.GROUP, LocalGraphWriter.VERSION,
              LocalGraphWriter.PLURAL)
          .labelSelector(LocalGraphWriter.OWNED_BY_LABEL + "=hub")
          .buildCall(null);
      try (Response response = call.execute()) {
        String body = response.body() == null ? "" : response.body().string();
        if (!response.isSuccessful()) {
          throw new ApiException(response.code(), response.headers().toMultimap(), body);
        }
        if (failedPolls > 0) {
          log.info("Listing hub-owned graphs works again. failedPolls={}", failedPolls);
          failedPolls = 0;
        }
        return Optional.of(JSON.readTree(body));
      }
    } catch (ApiException | IOException e) {
      failedPolls++;
      String error = e instanceof ApiException api
          ? ApiErrorText.withCode(api.getCode(), api.getResponseBody(), api.getMessage())
          : e.toString();
      // The first failure of a run is a warning; its repeats are counted and logged on recovery.
      if (failedPolls == 1) {
        log.warn("Listing hub-owned graphs failed; status reports wait until it works. error={}", error);
      } else {
        log.debug("Listing hub-owned graphs failed again. failedPolls={} error={}", failedPolls, error);
      }
      return Optional.empty();
    }
  }
}
