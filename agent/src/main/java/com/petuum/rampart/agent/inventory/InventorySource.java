package com.petuum.rampart.agent.inventory;

import com.petuum.rampart.proto.v1.Inventory;

/**
 * Produces the cluster's inventory for the hub. Implementations must be thread-safe. HubClient
 * calls {@link #current} from its timer once per inventory interval and after each Welcome, and
 * sends the result when it differs from the last one sent.
 */
public interface InventorySource {

  /**
   * Returns the inventory now.
   *
   * @throws RuntimeException when the cluster cannot be read; the agent keeps the last inventory
   *     and tries again on the next interval
   */
  Inventory current();
}
