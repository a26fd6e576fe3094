package com.petuum.rampart.scheduler.model;

import java.util.Objects;

/**
 * A flow of a graph.
 *
 * @param remote the repository's remote URL, or null; a repository with a remote can be cloned
 *     anywhere, so it does not bind its components to one cluster
 */
public record Flow(String name, FlowType type, String remote) {

  /** Capability a cluster needs to carry a pulsar flow. */
  public static final String PULSAR_CAPABILITY = "pulsar";

  public Flow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** Returns whether the components this flow joins must share a cluster or a storage domain. */
  public boolean bindsComponents() {
    return type == FlowType.VOLUME || (type == FlowType.REPOSITORY && (remote == null || remote.isEmpty()));
  }
}
