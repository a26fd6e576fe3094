package com.petuum.rampart.admission.model;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of flow a graph can hold, with the name each has in the API. */
public enum FlowType {
  /** A shared read-write-many volume; inputs mount it read-only. */
  VOLUME("volume"),
  /** A Pulsar topic. */
  PULSAR("pulsar"),
  /** A git or DVC repository, hosted on a volume or at a remote. */
  REPOSITORY("repository");

  private final String apiName;

  FlowType(String apiName) {
    this.apiName = apiName;
  }

  /** Returns the name used in {@code type} fields. */
  public String apiName() {
    return apiName;
  }

  /** Returns whether edges of this type are mounted into pods at a path. */
  public boolean isMounted() {
    return this != PULSAR;
  }

  /** Finds the type named {@code apiName} exactly; empty for anything else. */
  public static Optional<FlowType> fromApiName(String apiName) {
    return Arrays.stream(values()).filter(t -> t.apiName.equals(apiName)).findFirst();
  }

  /** Returns the API names of all types, for error messages. */
  public static String apiNames() {
    return String.join(", ", Arrays.stream(values()).map(FlowType::apiName).toList());
  }
}
