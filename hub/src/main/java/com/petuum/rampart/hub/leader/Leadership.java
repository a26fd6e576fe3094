package com.petuum.rampart.hub.leader;

import java.util.Optional;

/**
 * Whether this hub replica leads, and with which fencing epoch. The gRPC server asks it for every
 * new stream and every outgoing message: followers answer {@code NotLeader} with the leader's
 * address, and a replica that lost leadership closes its streams.
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
