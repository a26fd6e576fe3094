package com.petuum.rampart.scheduler.ledger;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capacity that placements have taken but member clusters do not report as used yet.
 *
 * <p>Thread-safe. A reservation on a cluster lasts until one of:
 *
 * <ul>
 *   <li>{@link #confirm}: the cluster's reported usage now includes the graph's pods;
 *   <li>{@link #release}: the graph was deleted, or is being placed again (moved);
 *   <li>the timeout passes, measured on the injected clock, so that a placement whose pods never
 *       start does not hold capacity forever.
 * </ul>
 *
 * <p>Two graphs scheduled at once cannot both take the last free capacity: a caller schedules
 * against a {@link #snapshot()} and commits with {@link #commit}, which fails when the ledger
 * changed since that snapshot; the caller then schedules again.
 */
public final class Ledger {

  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  private final Clock clock;
  private final Duration timeout;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final TreeMap<GraphKey, TreeMap<ClusterName, Entry>> reservations = new TreeMap<>();

  @GuardedBy("lock")
  private long version;

  /** The snapshot of the current version, or null after a change; snapshots are immutable, so callers share it. */
  @GuardedBy("lock")
  private LedgerSnapshot cached;

  /** The earliest expiry of any reservation, so that expiry scans run only when one is due. */
  @GuardedBy("lock")
  private Instant earliestExpiry = Instant.MAX;

  private record Entry(ResourceList amount, Instant expiresAt) {}

  /**
   * Creates an empty ledger.
   *
   * @param timeout how long a reservation lasts without confirmation
   */
  public Ledger(Clock clock, Duration timeout) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected a positive duration)");
    }
  }

  /** Returns the current reservations, after dropping expired ones. */
  public LedgerSnapshot snapshot() {
    synchronized (lock) {
      expireLocked();
      if (cached != null) {
        return cached;
      }
      TreeMap<GraphKey, SortedMap<ClusterName, ResourceList>> copy = new TreeMap<>();
      reservations.forEach(
          (graph, byCluster) -> {
            TreeMap<ClusterName, ResourceList> amounts = new TreeMap<>();
            byCluster.forEach((cluster, entry) -> amounts.put(cluster, entry.amount()));
            copy.put(graph, amounts);
          });
      cached = new LedgerSnapshot(version, copy);
      return cached;
    }
  }

  /**
   * Replaces the graph's reservations with {@code amounts} if the ledger is still at
   * {@code expectedVersion}.
   *
   * @return false, changing nothing, when another change came first
   */
  public boolean commit(GraphKey graph, Map<ClusterName, ResourceList> amounts, long expectedVersion) {
    synchronized (lock) {
      expireLocked();
      if (version != expectedVersion) {
        return false;
      }
      putLocked(graph, amounts);
      return true;
    }
  }

  /** Replaces the graph's reservations with {@code amounts} whatever the version. */
  public void reserve(GraphKey graph, Map<ClusterName, ResourceList> amounts) {
    synchronized (lock) {
      putLocked(graph, amounts);
    }
  }

  /** Drops every reservation of the graph, when it is deleted or moved. */
  public void release(GraphKey graph) {
    synchronized (lock) {
      if (reservations.remove(graph) != null) {
        changedLocked();
        log.debug("Released reservations. graph={}", graph);
      }
    }
  }

  /** Drops the graph's reservation on one cluster because that cluster's reported usage covers it. */
  public void confirm(GraphKey graph, ClusterName cluster) {
    synchronized (lock) {
      TreeMap<ClusterName, Entry> byCluster = reservations.get(graph);
      if (byCluster == null || byCluster.remove(cluster) == null) {
        return;
      }
      if (byCluster.isEmpty()) {
        reservations.remove(graph);
      }
      changedLocked();
    }
  }

  @GuardedBy("lock")
  private void changedLocked() {
    version++;
    cached = null;
  }

  @GuardedBy("lock")
  private void putLocked(GraphKey graph, Map<ClusterName, ResourceList> amounts) {
    Instant expiresAt = clock.instant().plus(timeout);
    TreeMap<ClusterName, Entry> byCluster = new TreeMap<>();
    amounts.forEach(
        (cluster, amount) -> {
          if (!amount.isEmpty()) {
            byCluster.put(cluster, new Entry(amount, expiresAt));
          }
        });
    if (byCluster.isEmpty()) {
      reservations.remove(graph);
    } else {
      reservations.put(graph, byCluster);
      earliestExpiry = earliestExpiry.isBefore(expiresAt) ? earliestExpiry : expiresAt;
    }
    changedLocked();
  }

  @GuardedBy("lock")
  private void expireLocked() {
    Instant now = clock.instant();
    if (now.isBefore(earliestExpiry)) {
      return;
    }
    int expired = 0;
    Instant nextExpiry = Instant.MAX;
    for (Iterator<TreeMap<ClusterName, Entry>> graphs = reservations.values().iterator(); graphs.hasNext(); ) {
      TreeMap<ClusterName, Entry> byCluster = graphs.next();
      expired += byCluster.size();
      byCluster.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
      expired -= byCluster.size();
      for (Entry entry : byCluster.values()) {
        nextExpiry = nextExpiry.isBefore(entry.expiresAt()) ? nextExpiry : entry.expiresAt();
      }
      if (byCluster.isEmpty()) {
        graphs.remove();
      }
    }
    earliestExpiry = nextExpiry;
    if (expired > 0) {
      changedLocked();
      log.info("Reservations expired unconfirmed. count={} timeout={}", expired, timeout);
    }
  }
}
