package com.petuum.rampart.agent.controller;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Orders a graph's components so that each comes after the components it needs, keeping the
 * written order otherwise. Needs naming components outside the graph (on other clusters, in a hub
 * slice) are ignored. Stateless.
 */
final class NeedsOrder {

  private NeedsOrder() {}

  /**
   * Returns the component names in deploy order. Components on a {@code needs} cycle, which
   * validation rejects, come last in written order rather than being dropped.
   */
  static List<String> of(RampartGraph graph) {
    Set<String> placed = new LinkedHashSet<>();
    boolean progress = true;
    while (progress && placed.size() < graph.components().size()) {
      progress = false;
      for (Component component : graph.components().values()) {
        if (placed.contains(component.name())) {
          continue;
        }
        boolean ready = component.needs().stream()
            .allMatch(needed -> placed.contains(needed) || !graph.components().containsKey(needed));
        if (ready) {
          placed.add(component.name());
          progress = true;
        }
      }
    }
    List<String> order = new ArrayList<>(placed);
    graph.components().keySet().stream().filter(name -> !placed.contains(name)).forEach(order::add);
    return order;
  }
}
