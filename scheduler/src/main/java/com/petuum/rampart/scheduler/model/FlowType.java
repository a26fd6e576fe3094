package com.petuum.rampart.scheduler.model;

/** Kind of a flow, which decides whether the components it joins may sit on different clusters. */
public enum FlowType {
  /** A shared volume: one cluster, or clusters that share a storage domain. */
  VOLUME("volume"),
  /** A git or dvc repository: local like a volume unless it has a {@code remote}. */
  REPOSITORY("repository"),
  /** A Pulsar topic: crosses clusters, but each cluster touched needs the pulsar capability. */
  PULSAR("pulsar");

  private final String apiName;

  FlowType(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  public static FlowType fromApiName(String field, String value) {
    for (FlowType type : values()) {
      if (type.apiName.equals(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException(field + ": \"" + value + "\" is not a flow type (expected volume, repository or pulsar)");
  }
}
