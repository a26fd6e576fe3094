package com.petuum.rampart.scheduler.model;

/** How capacity scores: fill clusters up, or keep them evenly loaded. */
public enum Strategy {
  /** Prefer the cluster that is fullest after placement, leaving whole clusters free. */
  BIN_PACK("BinPack"),
  /** Prefer the cluster that is emptiest after placement. */
  SPREAD("Spread");

  private final String apiName;

  Strategy(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  public static Strategy fromApiName(String field, String value) {
    for (Strategy strategy : values()) {
      if (strategy.apiName.equals(value)) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(field + ": \"" + value + "\" is not a strategy (expected BinPack or Spread)");
  }
}
