package com.petuum.rampart.hub.dispatch;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.v1.WorkKey;

/**
 * Identifies one graph slice: the hub graph's UID, with its namespace and name for logs.
 * Equality is by all three fields; the UID alone is unique. Immutable.
 */
public record WorkId(String graphUid, String namespace, String name) {

  public WorkId {
    requireNonNull(graphUid, "graphUid");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    if (graphUid.isEmpty()) {
      throw new IllegalArgumentException("graphUid: '' (expected: the graph's metadata.uid)");
    }
  }

  public static WorkId fromProto(WorkKey key) {
    return new WorkId(key.getGraphUid(), key.getGraphNamespace(), key.getGraphName());
  }

  public WorkKey toProto() {
    return WorkKey.newBuilder()
        .setGraphUid(graphUid)
        .setGraphNamespace(namespace)
        .setGraphName(name)
        .build();
  }

  @Override
  public String toString() {
    return namespace + "/" + name + "(" + graphUid + ")";
  }
}
