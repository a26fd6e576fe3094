package com.petuum.rampart.hub.membership;

import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** MemberClusters in memory, for tests and single-process benchmarks. Thread-safe. */
public final class InMemoryMemberClusterStore implements MemberClusterStore {

  private final ConcurrentMap<ClusterName, Optional<MemberStatus>> members = new ConcurrentHashMap<>();

  @Override
  public boolean exists(ClusterName cluster) {
    return members.containsKey(cluster);
  }

  @Override
  public Set<ClusterName> list() {
    return Set.copyOf(members.keySet());
  }

  @Override
  public void recordJoin(ClusterName cluster, String agentVersion, Instant at) {
    members.putIfAbsent(cluster, Optional.empty());
  }

  @Override
  public void writeStatus(ClusterName cluster, MemberStatus status) {
    // A status write for a deleted member fails on the apiserver too; it must not recreate it.
    members.computeIfPresent(cluster, (name, old) -> Optional.of(status));
  }

  @Override
  public boolean markNotReady(ClusterName cluster, ReadyCondition ready) {
    boolean[] wrote = new boolean[1];
    members.computeIfPresent(cluster, (name, old) -> {
      if (old.isEmpty() || !old.get().ready().isTrue()) {
        return old;
      }
      MemberStatus status = old.get();
      wrote[0] = true;
      return Optional.of(new MemberStatus(status.agentVersion(), status.agentAddress(), status.kubernetesVersion(),
          status.lastHeartbeatTime(), status.inventory(), ready));
    });
    return wrote[0];
  }

  /** Returns the last status written, empty when none was or the member does not exist. */
  public Optional<MemberStatus> status(ClusterName cluster) {
    return members.getOrDefault(cluster, Optional.empty());
  }

  /** Creates a member without a join, as an operator applying a MemberCluster would. */
  public void add(ClusterName cluster) {
    members.putIfAbsent(cluster, Optional.empty());
  }

  /** Deletes a member, which revokes its identity. */
  public void delete(ClusterName cluster) {
    members.remove(cluster);
  }
}
