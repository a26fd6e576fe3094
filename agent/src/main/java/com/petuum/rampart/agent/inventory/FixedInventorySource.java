package com.petuum.rampart.agent.inventory;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.v1.Inventory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An inventory that needs no apiserver: whatever was set last. Simulated agents use it to run a
 * thousand agents in one JVM. Thread-safe.
 */
public final class FixedInventorySource implements InventorySource {

  private final AtomicReference<Inventory> inventory;

  public FixedInventorySource(Inventory initial) {
    this.inventory = new AtomicReference<>(requireNonNull(initial, "initial"));
  }

  @Override
  public Inventory current() {
    return inventory.get();
  }

  /** Replaces the inventory; the agent sends it on its next inventory interval. */
  public void set(Inventory value) {
    inventory.set(requireNonNull(value, "value"));
  }
}
