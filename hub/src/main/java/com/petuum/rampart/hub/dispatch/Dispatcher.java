package com.petuum.rampart.hub.dispatch;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Holds, per member cluster, the graph slices it should run and delivers them reliably: a
 * delivery stays owed until the agent acknowledges its exact generation, and owed deliveries are
 * re-sent after {@code resendAfter} and on every reconnect. Thread-safe.
 *
 * <p>The scheduler side calls {@link #assign} and {@link #remove}; the gRPC side takes due
 * deliveries with {@link #takeDue} and reports acknowledgements with {@link #acknowledge}.
 * Listeners run on the caller's thread, after the change, with no lock held.
 *
 * <p>NOTE: the owed set lives in memory. A new leader rebuilds it from the placements in graph
 * status and the agents' Hello messages; until then it owes nothing.
 */
public final class Dispatcher {

  private final ConcurrentMap<ClusterName, ClusterWork> clusters = new ConcurrentHashMap<>();
  private final List<Consumer<ClusterName>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Duration>> ackListeners = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final Duration resendAfter;

  /**
   * Creates a dispatcher.
   *
   * @param resendAfter how long a sent delivery waits for its acknowledgement before it is sent
   *     again on the same stream
   */
  public Dispatcher(Clock clock, Duration resendAfter) {
    this.clock = requireNonNull(clock, "clock");
    this.resendAfter = requireNonNull(resendAfter, "resendAfter");
    if (resendAfter.isNegative() || resendAfter.isZero()) {
      throw new IllegalArgumentException("resendAfter: " + resendAfter + " (expected: positive)");
    }
  }

  /** Registers a listener that is called with the name of each cluster whose owed work changed. */
  public void addListener(Consumer<ClusterName> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Registers a listener that receives, for each accepted acknowledgement, the time from the
   * delivery's first send to its acknowledgement. Called on the acknowledging gRPC thread.
   */
  public void addAckListener(Consumer<Duration> listener) {
    ackListeners.add(requireNonNull(listener, "listener"));
  }

  /** Removes a listener added with {@link #addListener}; does nothing for an unknown one. */
  public void removeListener(Consumer<ClusterName> listener) {
    listeners.remove(listener);
  }

  /** Owes the cluster this slice, replacing any older generation of it. */
  public void assign(ClusterName cluster, WorkItem item) {
    work(cluster).put(new Delivery.Upsert(item));
    notifyListeners(cluster);
  }

  /**
   * Keeps the slice the cluster runs now, whatever its generation, without sending it anything.
   * SyncComplete lists it and the cluster's reports about it are accepted. Used when the graph's
   * current spec cannot be sent, such as an update that cannot be placed, so the running version
   * stays. Does nothing when a delivery for the graph is already owed to the cluster.
   */
  public void retain(ClusterName cluster, WorkId id) {
    work(cluster).retain(id);
  }

  /** Owes the cluster the removal of this slice, at the generation that removed it. */
  public void remove(ClusterName cluster, WorkId id, long generation) {
    work(cluster).put(new Delivery.Removal(id, generation));
    notifyListeners(cluster);
  }

  /** Records an acknowledgement from the cluster named by the caller's certificate. */
  public AckOutcome acknowledge(ClusterName cluster, String graphUid, long generation) {
    ClusterWork work = clusters.get(cluster);
    if (work == null) {
      return AckOutcome.FOREIGN;
    }
    java.time.Instant[] sentAt = new java.time.Instant[1];
    AckOutcome outcome = work.acknowledge(graphUid, generation, sentAt);
    if (outcome == AckOutcome.ACCEPTED && sentAt[0] != null) {
      Duration latency = Duration.between(sentAt[0], clock.instant());
      for (Consumer<Duration> listener : ackListeners) {
        listener.accept(latency);
      }
    }
    return outcome;
  }

  /** Returns what must be sent to the cluster now, and records it as sent. */
  public List<Delivery> takeDue(ClusterName cluster) {
    return work(cluster).takeDue(clock.instant(), resendAfter);
  }

  /**
   * Starts a new stream for the cluster: everything unacknowledged becomes due, and slices the
   * agent already has at the owed generation and hash count as acknowledged.
   */
  public void reconnected(ClusterName cluster, Map<String, HeldSlice> held) {
    work(cluster).reconnected(held);
  }

  /** Returns every slice the cluster should hold, for SyncComplete. */
  public List<WorkId> desiredIds(ClusterName cluster) {
    return work(cluster).desiredIds();
  }

  /** Returns whether the cluster is owed anything, upsert or removal, for this graph. */
  public boolean owns(ClusterName cluster, String graphUid) {
    ClusterWork work = clusters.get(cluster);
    return work != null && work.owns(graphUid);
  }

  /** Returns how many deliveries to the cluster still wait for an acknowledgement. */
  public int unacknowledgedCount(ClusterName cluster) {
    ClusterWork work = clusters.get(cluster);
    return work == null ? 0 : work.unacknowledgedCount();
  }

  /** Returns how many deliveries to all clusters still wait for an acknowledgement. */
  public int unacknowledgedTotal() {
    int total = 0;
    for (ClusterWork work : clusters.values()) {
      total += work.unacknowledgedCount();
    }
    return total;
  }

  private ClusterWork work(ClusterName cluster) {
    return clusters.computeIfAbsent(cluster, name -> new ClusterWork());
  }

  private void notifyListeners(ClusterName cluster) {
    for (Consumer<ClusterName> listener : listeners) {
      listener.accept(cluster);
    }
  }
}
