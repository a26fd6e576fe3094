package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/** Storage shared between member clusters: its name, and the storage class to use on this cluster. */
public record StorageDomain(String name, String storageClass) {

  public StorageDomain {
    Objects.requireNonNull(name, "name");
  }
}
