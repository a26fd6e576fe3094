package com.petuum.rampart.scheduler.model;

import java.util.List;

/**
 * The Helm chart of a component.
 *
 * @param requires capabilities a member cluster must list in {@code spec.capabilities}, such as
 *     {@code kuberay}; the chart's {@code requires} tokens
 */
public record Chart(String repo, String name, String version, List<String> requires) {

  public Chart {
    requires = List.copyOf(requires == null ? List.of() : requires);
  }
}
