package com.petuum.rampart.scheduler.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A Kubernetes label selector; the empty selector matches everything. */
public record LabelSelector(SortedMap<String, String> matchLabels, List<LabelRequirement> matchExpressions) {

  public static final LabelSelector EVERYTHING = new LabelSelector(new TreeMap<>(), List.of());

  public LabelSelector {
    matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels == null ? Map.of() : matchLabels));
    matchExpressions = List.copyOf(matchExpressions == null ? List.of() : matchExpressions);
  }

  public static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(new TreeMap<>(labels), List.of());
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    for (LabelRequirement requirement : matchExpressions) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** Prints the selector in kubectl's {@code -l} syntax, such as {@code gpu=a100,region in (eu)}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    matchLabels.forEach((key, value) -> parts.add(key + "=" + value));
    matchExpressions.forEach(requirement -> parts.add(requirement.toString()));
    return String.join(",", parts);
  }
}
