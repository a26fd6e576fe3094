package com.petuum.rampart.hub.membership;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.v1.Inventory;
import java.time.Instant;
import java.util.Optional;

/**
 * The MemberCluster status fields that the hub writes. Immutable.
 *
 * @param inventory the last inventory the agent reported, empty before the first
 */
public record MemberStatus(
    String agentVersion,
    String agentAddress,
    String kubernetesVersion,
    Instant lastHeartbeatTime,
    Optional<Inventory> inventory,
    ReadyCondition ready) {

  public MemberStatus {
    requireNonNull(agentVersion, "agentVersion");
    requireNonNull(agentAddress, "agentAddress");
    requireNonNull(kubernetesVersion, "kubernetesVersion");
    requireNonNull(lastHeartbeatTime, "lastHeartbeatTime");
    requireNonNull(inventory, "inventory");
    requireNonNull(ready, "ready");
  }
}
