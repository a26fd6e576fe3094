package com.petuum.rampart.hub.server;

import com.petuum.rampart.proto.identity.ClusterName;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The open stream of each connected cluster; at most one per cluster, the newest winning.
 * Thread-safe. Sessions are closed after the map changed, never inside a map operation.
 */
final class ConnectedAgents {

  private final ConcurrentMap<ClusterName, AgentSession> sessions = new ConcurrentHashMap<>();

  /** Registers the session, closing any older stream of the same cluster. */
  void register(AgentSession session) {
    AgentSession previous = sessions.put(session.cluster(), session);
    if (previous != null && previous != session) {
      previous.close(Status.ABORTED.withDescription(
          "a newer stream of cluster " + session.cluster() + " replaced this one"));
    }
  }

  /** Removes the session if it is still the registered one; returns whether it was. */
  boolean unregister(AgentSession session) {
    return sessions.remove(session.cluster(), session);
  }

  Optional<AgentSession> get(ClusterName cluster) {
    return Optional.ofNullable(sessions.get(cluster));
  }

  List<AgentSession> all() {
    return List.copyOf(sessions.values());
  }

  int size() {
    return sessions.size();
  }
}
