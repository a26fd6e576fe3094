package com.petuum.rampart.bench.comparison;

/** Whether a placement reduces the capacity that later placements see. Both sides use the same mode. */
enum CapacityMode {

  /** Every graph sees the inventory file's capacity, which is how Karmada's scheduler core behaves. */
  STATELESS("stateless"),

  /**
   * Each placement reserves its resources before the next graph is scheduled. Ours commits to its
   * ledger inside the timed call; Karmada's side would update the cluster's allocated resources
   * after the clock stops, as its cluster status controller does in another process.
   */
  CONSUME("consume");

  private final String flagValue;

  CapacityMode(String flagValue) {
    this.flagValue = flagValue;
  }

  String flagValue() {
    return flagValue;
  }

  static CapacityMode fromFlag(String value) {
    for (CapacityMode mode : values()) {
      if (mode.flagValue.equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("--capacity " + value + " is not a capacity mode (expected stateless or consume)");
  }
}
