package com.petuum.rampart.hub.membership;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.Inventory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Tracks each member's agent (heartbeats, inventory) and writes MemberCluster status. Thread-safe.
 *
 * <ul>
 *   <li>{@code Ready} is True from the first heartbeat or inventory; it turns Unknown when no
 *       heartbeat came for the grace period, and True again when one arrives.
 *   <li>A new inventory or a Ready change is written at once; otherwise the heartbeat time is
 *       refreshed at most every {@code heartbeatWriteInterval}, so that a thousand agents beating
 *       every few seconds do not turn into a thousand apiserver writes every few seconds.
 *   <li>Every check also lists the MemberClusters; a connected cluster whose MemberCluster was
 *       deleted is reported to the revocation listener, which closes its stream.
 *   <li>Only the leader writes, and the fence is checked before each batch of writes. What a
 *       replica learned belongs to one term. When its leadership ends, it drops its record of
 *       every member, because agents now report to another replica and its own view only grows
 *       stale. A new leader learns members again as their agents connect. A member whose agent
 *       has not connected by the grace period after the term started turns Unknown, so a cluster
 *       that failed while no hub listened does not stay Ready.
 * </ul>
 *
 * <p>All store calls run on the scheduler given to {@link #start}, never on gRPC threads and
 * never under this object's lock.
 */
public final class MembershipMonitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MembershipMonitor.class);

  /** State the monitor keeps for one member's agent. */
  private static final class Member {
    String agentVersion = "";
    String agentAddress = "";
    String kubernetesVersion = "";
    Instant lastHeartbeat;
    Optional<Inventory> inventory = Optional.empty();
    ReadyCondition ready;
    boolean connected;
    boolean dirty;
    Instant lastWritten = Instant.EPOCH;
  }

  private final MemberClusterStore store;
  private final Leadership leadership;
  private final WriteFence fence;
  private final Clock clock;
  private final Duration grace;
  private final Duration heartbeatWriteInterval;
  private final Consumer<ClusterName> revocationListener;

  @GuardedBy("this")
  private final Map<ClusterName, Member> members = new HashMap<>();

  @GuardedBy("this")
  private ScheduledExecutorService scheduler;

  @GuardedBy("this")
  private ScheduledFuture<?> periodicCheck;

  @GuardedBy("this")
  private boolean flushQueued;

  /** The epoch that {@link #members} belongs to, or null while this replica does not lead. */
  @GuardedBy("this")
  private Epoch term;

  @GuardedBy("this")
  private Instant termStart;

  /** Whether this term already turned Unknown the members whose agents never connected. */
  @GuardedBy("this")
  private boolean absentMembersChecked;

  /**
   * Creates a monitor; the caller owns the store.
   *
   * @param leadership the monitor writes only while this reports an epoch. Pass the view that
   *     reports an epoch once the graph controller has synced it.
   * @param fence checked before each batch of writes
   * @param grace how long without a heartbeat before Ready turns Unknown
   * @param heartbeatWriteInterval the longest a written heartbeat time may lag behind while
   *     nothing else changes
   * @param revocationListener called on the scheduler thread with the name of each connected
   *     cluster whose MemberCluster no longer exists
   */
  public MembershipMonitor(
      MemberClusterStore store,
      Leadership leadership,
      WriteFence fence,
      Clock clock,
      Duration grace,
      Duration heartbeatWriteInterval,
      Consumer<ClusterName> revocationListener) {
    this.store = requireNonNull(store, "store");
    this.leadership = requireNonNull(leadership, "leadership");
    this.fence = requireNonNull(fence, "fence");
    this.clock = requireNonNull(clock, "clock");
    this.grace = requireNonNull(grace, "grace");
    this.heartbeatWriteInterval = requireNonNull(heartbeatWriteInterval, "heartbeatWriteInterval");
    this.revocationListener = requireNonNull(revocationListener, "revocationListener");
  }

  /**
   * Starts periodic checks every {@code checkInterval} on the scheduler, which the caller owns
   * and must keep running until {@link #close}.
   */
  public synchronized void start(ScheduledExecutorService scheduler, Duration checkInterval) {
    if (this.scheduler != null) {
      throw new IllegalStateException("MembershipMonitor already started");
    }
    this.scheduler = requireNonNull(scheduler, "scheduler");
    long millis = checkInterval.toMillis();
    periodicCheck = scheduler.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (periodicCheck != null) {
      periodicCheck.cancel(false);
    }
  }

  /** Records a new stream from a cluster's agent and the versions it reported. */
  public void connected(ClusterName cluster, Hello hello, String agentAddress) {
    synchronized (this) {
      Member member = members.computeIfAbsent(cluster, name -> new Member());
      member.agentVersion = hello.getAgentVersion();
      member.kubernetesVersion = hello.getKubernetesVersion();
      member.agentAddress = agentAddress;
      member.connected = true;
      beat(member, clock.instant(), cluster);
    }
    queueFlush();
  }

  /** Records a heartbeat. */
  public void heartbeat(ClusterName cluster) {
    boolean changed;
    synchronized (this) {
      Member member = members.get(cluster);
      if (member == null) {
        return;
      }
      changed = beat(member, clock.instant(), cluster);
    }
    if (changed) {
      queueFlush();
    }
  }

  /** Records an inventory, which also counts as a heartbeat. */
  public void inventory(ClusterName cluster, Inventory inventory) {
    synchronized (this) {
      Member member = members.get(cluster);
      if (member == null) {
        return;
      }
      beat(member, clock.instant(), cluster);
      if (!member.inventory.equals(Optional.of(inventory))) {
        member.inventory = Optional.of(inventory);
        member.dirty = true;
      }
    }
    queueFlush();
  }

  /** Records that the cluster's stream ended; Ready follows the heartbeat deadline as usual. */
  public synchronized void disconnected(ClusterName cluster) {
    Member member = members.get(cluster);
    if (member != null) {
      member.connected = false;
    }
  }

  /** Returns the Ready condition the monitor last decided for the cluster. */
  public synchronized Optional<ReadyCondition> ready(ClusterName cluster) {
    Member member = members.get(cluster);
    return member == null ? Optional.empty() : Optional.ofNullable(member.ready);
  }

  /**
   * Turns Ready Unknown for silent members, writes what changed and reports revoked clusters.
   * Runs periodically; tests call it directly with a fake clock.
   */
  public void check() {
    Optional<Epoch> epoch = leadership.currentEpoch();
    Instant now = clock.instant();
    List<ClusterName> connected = new ArrayList<>();
    boolean checkAbsent;
    synchronized (this) {
      if (!followTerm(epoch, now)) {
        return;
      }
      checkAbsent = !absentMembersChecked && !now.isBefore(termStart.plus(grace));
      for (Map.Entry<ClusterName, Member> entry : members.entrySet()) {
        Member member = entry.getValue();
        if (member.connected) {
          connected.add(entry.getKey());
        }
        boolean silent = member.lastHeartbeat != null && now.isAfter(member.lastHeartbeat.plus(grace));
        if (silent && member.ready != null && member.ready.isTrue()) {
          member.ready = ReadyCondition.silent(now, grace);
          member.dirty = true;
          log.warn(
              "Member turned Ready=Unknown: no heartbeat. cluster={} lastHeartbeat={}",
              entry.getKey(),
              member.lastHeartbeat);
        }
      }
    }

    if (checkAbsent) {
      markAbsentMembers(epoch.get(), now);
    }
    if (!connected.isEmpty()) {
      Set<ClusterName> existing = store.list();
      for (ClusterName cluster : connected) {
        if (!existing.contains(cluster)) {
          log.warn("MemberCluster deleted; revoking the connected agent. cluster={}", cluster);
          synchronized (this) {
            members.remove(cluster);
          }
          revocationListener.accept(cluster);
        }
      }
    }
    flush();
  }

  /** Writes the status of every member that changed or whose heartbeat time is stale. */
  void flush() {
    Optional<Epoch> epoch = leadership.currentEpoch();
    Instant now = clock.instant();
    Map<ClusterName, MemberStatus> writes = new HashMap<>();
    synchronized (this) {
      flushQueued = false;
      if (!followTerm(epoch, now)) {
        return;
      }
      for (Map.Entry<ClusterName, Member> entry : members.entrySet()) {
        Member member = entry.getValue();
        boolean heartbeatStale =
            member.lastHeartbeat != null
                && member.lastHeartbeat.isAfter(member.lastWritten)
                && !now.isBefore(member.lastWritten.plus(heartbeatWriteInterval));
        if (member.ready == null || !(member.dirty || heartbeatStale)) {
          continue;
        }
        member.dirty = false;
        member.lastWritten = now;
        writes.put(
            entry.getKey(),
            new MemberStatus(
                member.agentVersion,
                member.agentAddress,
                member.kubernetesVersion,
                member.lastHeartbeat,
                member.inventory,
                member.ready));
      }
    }

    if (writes.isEmpty()) {
      return;
    }
    if (!fence.admits(epoch.get())) {
      // Another replica leads with a newer epoch, so the next check drops every record.
      log.info("Skipped MemberCluster status writes: the epoch fence rejected this epoch. epoch={} clusters={}",
          epoch.get(), writes.size());
      return;
    }
    for (Map.Entry<ClusterName, MemberStatus> write : writes.entrySet()) {
      MDC.put("cluster", write.getKey().value());
      try {
        store.writeStatus(write.getKey(), write.getValue());
      } catch (RuntimeException e) {
        log.warn("Failed to write MemberCluster status; will retry. cluster={}", write.getKey(), e);
        synchronized (this) {
          Member member = members.get(write.getKey());
          if (member != null) {
            member.dirty = true;
          }
        }
      } finally {
        MDC.remove("cluster");
      }
    }
  }

  /**
   * Moves the records to the current term and returns whether this replica leads. Losing
   * leadership drops every record. A new term keeps only the members whose agents are connected
   * now, because those streams were accepted under it.
   */
  @GuardedBy("this")
  private boolean followTerm(Optional<Epoch> epoch, Instant now) {
    if (epoch.isEmpty()) {
      if (term != null) {
        log.info("Not leading; dropping the membership records. epoch={} members={}", term, members.size());
        members.clear();
        term = null;
      }
      return false;
    }
    if (!epoch.get().equals(term)) {
      members.values().removeIf(member -> !member.connected);
      term = epoch.get();
      termStart = now;
      absentMembersChecked = false;
    }
    return true;
  }

  /**
   * Turns Ready Unknown for every member whose agent has not connected in this term, once per
   * term. A failed pass is tried again at the next check.
   */
  private void markAbsentMembers(Epoch epoch, Instant now) {
    Set<ClusterName> seen;
    synchronized (this) {
      seen = Set.copyOf(members.keySet());
    }
    if (!fence.admits(epoch)) {
      return;
    }
    ReadyCondition absent = ReadyCondition.absent(now, grace);
    for (ClusterName cluster : store.list()) {
      if (seen.contains(cluster)) {
        continue;
      }
      MDC.put("cluster", cluster.value());
      try {
        if (store.markNotReady(cluster, absent)) {
          log.warn("Member turned Ready=Unknown: its agent did not connect to this leader. cluster={} epoch={}",
              cluster, epoch);
        }
      } finally {
        MDC.remove("cluster");
      }
    }
    synchronized (this) {
      if (epoch.equals(term)) {
        absentMembersChecked = true;
      }
    }
  }

  @GuardedBy("this")
  private boolean beat(Member member, Instant now, ClusterName cluster) {
    member.lastHeartbeat = now;
    if (member.ready == null || !member.ready.isTrue()) {
      member.ready = ReadyCondition.heartbeating(now);
      member.dirty = true;
      log.info("Member turned Ready=True. cluster={}", cluster);
      return true;
    }
    return false;
  }

  private void queueFlush() {
    ScheduledExecutorService target;
    synchronized (this) {
      if (flushQueued || scheduler == null) {
        return;
      }
      flushQueued = true;
      target = scheduler;
    }
    target.execute(this::flushSafely);
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("Membership flush failed", e);
    }
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      // A throwing periodic task would be cancelled silently, so log and keep running.
      log.error("Membership check failed", e);
    }
  }
}
