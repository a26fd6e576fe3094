package com.petuum.rampart.scheduler.model;

/** Effect of a MemberCluster taint, with Kubernetes node-taint meaning at cluster scope. */
public enum TaintEffect {
  /** New placements must tolerate the taint. */
  NO_SCHEDULE("NoSchedule"),
  /** Placements should avoid the cluster; the scheduler lowers its score. */
  PREFER_NO_SCHEDULE("PreferNoSchedule"),
  /** New placements must tolerate it; failover may also move placements that do not. */
  NO_EXECUTE("NoExecute");

  private final String apiName;

  TaintEffect(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** Returns the effect spelled as in the API, or throws naming the accepted values. */
  public static TaintEffect fromApiName(String field, String value) {
    for (TaintEffect effect : values()) {
      if (effect.apiName.equals(value)) {
        return effect;
      }
    }
    throw new IllegalArgumentException(
        field + ": \"" + value + "\" is not a taint effect (expected NoSchedule, PreferNoSchedule or NoExecute)");
  }
}
