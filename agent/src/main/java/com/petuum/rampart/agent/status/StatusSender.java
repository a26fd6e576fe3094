package com.petuum.rampart.agent.status;

import com.petuum.rampart.proto.v1.WorkStatus;

/**
 * Sends a {@link WorkStatus} to the hub; {@code HubClient::reportStatus} in the agent. Must be
 * thread-safe and must not block for long, because the reporter's only thread calls it.
 */
@FunctionalInterface
public interface StatusSender {

  /** Sends {@code status}; returns false when it could not, for example while disconnected. */
  boolean send(WorkStatus status);
}
