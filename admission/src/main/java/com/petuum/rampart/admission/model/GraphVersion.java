package com.petuum.rampart.admission.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The served versions of the RampartGraph API, oldest first. {@code v1beta1} and {@code v1beta2}
 * keep the original Rampart shape; {@code v1beta2} adds {@code spec.deploy}; {@code v1} adds
 * placement, per-component resources and per-component placement.
 */
public enum GraphVersion {
  V1BETA1("v1beta1"),
  V1BETA2("v1beta2"),
  V1("v1");

  public static final String GROUP = "rampart.petuum.com";
  public static final String KIND = "RampartGraph";

  private final String name;

  GraphVersion(String name) {
    this.name = name;
  }

  /** Returns the bare version name, such as {@code v1beta2}. */
  public String versionName() {
    return name;
  }

  /** Returns the full {@code apiVersion} value, such as {@code rampart.petuum.com/v1}. */
  public String apiVersion() {
    return GROUP + "/" + name;
  }

  /** Returns whether objects of this version can hold {@code spec.deploy}. */
  public boolean hasDeploy() {
    return this != V1BETA1;
  }

  /** Returns whether objects of this version can hold placement and per-component resources. */
  public boolean hasPlacement() {
    return this == V1;
  }

  /** Finds the version of a full {@code apiVersion} value; empty for any other group or version. */
  public static Optional<GraphVersion> fromApiVersion(String apiVersion) {
    return Arrays.stream(values()).filter(v -> v.apiVersion().equals(apiVersion)).findFirst();
  }

  /** Returns the full {@code apiVersion} values of every served version, oldest first. */
  public static String servedApiVersions() {
    return String.join(", ", Arrays.stream(values()).map(GraphVersion::apiVersion).toList());
  }
}
