package com.petuum.rampart.hub.leader;

import java.util.Optional;

/**
 * Whether this hub replica leads, and with which fencing epoch. The gRPC server reads it at each
 * agent's Hello and on every heartbeat tick. A follower sends {@code NotLeader} with the leader's
 * address; a stream whose epoch is no longer the current one is closed, so the agent reconnects
 * to the new leader.
 *
 * <p>Implementations must be thread-safe and must not block: the server calls them on gRPC
 * threads. A ZooKeeper-backed implementation treats a SUSPENDED connection as lost leadership.
 */
public interface Leadership {

  /** Returns the epoch while this replica leads, empty while it does not. */
  Optional<Epoch> currentEpoch();

  /** Returns the host:port of the leader's Connect endpoint when known, else empty. */
  default Optional<String> leaderAddress() {
    return Optional.empty();
  }

  /** Returns whether this replica leads now. */
  default boolean isLeader() {
    return currentEpoch().isPresent();
  }
}
