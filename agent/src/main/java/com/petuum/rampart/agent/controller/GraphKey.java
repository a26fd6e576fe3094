package com.petuum.rampart.agent.controller;

import static java.util.Objects.requireNonNull;

/** The namespace and name of a RampartGraph on the member cluster. Immutable. */
public record GraphKey(String namespace, String name) {

  public GraphKey {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
