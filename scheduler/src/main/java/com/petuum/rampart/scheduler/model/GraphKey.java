package com.petuum.rampart.scheduler.model;

import java.util.Comparator;
import java.util.Objects;

/** Namespace and name of a RampartGraph; prints as {@code namespace/name}. */
public record GraphKey(String namespace, String name) implements Comparable<GraphKey> {

  private static final Comparator<GraphKey> ORDER =
      Comparator.comparing(GraphKey::namespace).thenComparing(GraphKey::name);

  public GraphKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static GraphKey of(String namespace, String name) {
    return new GraphKey(namespace, name);
  }

  @Override
  public int compareTo(GraphKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
