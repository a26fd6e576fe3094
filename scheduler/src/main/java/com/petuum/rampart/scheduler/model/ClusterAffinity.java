package com.petuum.rampart.scheduler.model;

import java.util.List;
import java.util.Map;

/**
 * Required cluster affinity: a cluster qualifies when its name is listed (if names are given)
 * and its labels match the selector (if one is given).
 *
 * @param clusterNames allowed clusters, or empty for any name
 * @param labelSelector selector the cluster's labels must match, or null for any labels
 */
public record ClusterAffinity(List<String> clusterNames, LabelSelector labelSelector) {

  public ClusterAffinity {
    clusterNames = List.copyOf(clusterNames == null ? List.of() : clusterNames);
  }

  public boolean matches(String clusterName, Map<String, String> labels) {
    if (!clusterNames.isEmpty() && !clusterNames.contains(clusterName)) {
      return false;
    }
    return labelSelector == null || labelSelector.matches(labels);
  }

  @Override
  public String toString() {
    String names = clusterNames.isEmpty() ? "" : "names [" + String.join(", ", clusterNames) + "]";
    String selector = labelSelector == null || labelSelector.isEmpty() ? "" : "labels " + labelSelector;
    return names.isEmpty() || selector.isEmpty() ? names + selector : names + " and " + selector;
  }
}
