package com.petuum.rampart.hub.membership;

import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Instant;
import java.util.Set;

/**
 * The hub's MemberCluster objects as the protocol needs them. Implementations must be
 * thread-safe; callers invoke them from the hub's membership writer thread and from Join calls,
 * never while holding a lock.
 */
public interface MemberClusterStore {

  /** Returns whether the MemberCluster exists; a deleted one has lost its identity. */
  boolean exists(ClusterName cluster);

  /** Returns the names of all MemberClusters. */
  Set<ClusterName> list();

  /**
   * Creates the MemberCluster when missing and sets its {@code Joined} condition to True.
   * Idempotent: joining again only updates the condition's message.
   */
  void recordJoin(ClusterName cluster, String agentVersion, Instant at);

  /** Writes the status fields the protocol owns: conditions Ready, heartbeat, inventory. */
  void writeStatus(ClusterName cluster, MemberStatus status);

  /**
   * Replaces the {@code Ready} condition with {@code ready} when it is True now and keeps every
   * other field. Returns whether it wrote. A member that was never Ready, or no longer exists, is
   * left alone.
   */
  boolean markNotReady(ClusterName cluster, ReadyCondition ready);
}
