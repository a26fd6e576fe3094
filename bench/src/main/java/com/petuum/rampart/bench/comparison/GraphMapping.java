package com.petuum.rampart.bench.comparison;

import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mapping of a graph of K components to Karmada bindings, applied to our graph so that both
 * sides decide the same question.
 */
enum GraphMapping {

  /**
   * The whole graph on one cluster: one Karmada binding with K components and a cluster spread
   * of exactly one. On our side every component joins one extra volume flow, which makes the
   * graph a single co-location group.
   */
  ONE_CLUSTER("graph1"),

  /**
   * Components may land on different clusters: K Karmada bindings, one call each. On our side
   * the graph keeps its own flows in the full model and loses them in the aggregate model, where
   * each component is placed on its own as a Karmada binding would be.
   */
  PER_COMPONENT("graphK");

  /** Name of the volume flow that joins every component in {@link #ONE_CLUSTER}. */
  static final String WHOLE_GRAPH_FLOW = "bench-whole-graph";

  private final String flagValue;

  GraphMapping(String flagValue) {
    this.flagValue = flagValue;
  }

  String flagValue() {
    return flagValue;
  }

  static GraphMapping fromFlag(String value) {
    for (GraphMapping mapping : values()) {
      if (mapping.flagValue.equals(value)) {
        return mapping;
      }
    }
    throw new IllegalArgumentException("--mapping " + value + " is not a mapping (expected graph1 or graphK)");
  }

  Graph apply(Graph graph, CapacityModel model) {
    if (this == PER_COMPONENT && model == CapacityModel.FULL) {
      return graph;
    }
    TreeMap<String, Flow> flows = new TreeMap<>();
    TreeMap<String, Component> components = new TreeMap<>();
    if (this == ONE_CLUSTER) {
      flows.putAll(graph.flows());
      flows.put(WHOLE_GRAPH_FLOW, new Flow(WHOLE_GRAPH_FLOW, FlowType.VOLUME, null));
    }
    for (Map.Entry<String, Component> entry : graph.components().entrySet()) {
      Component component = entry.getValue();
      TreeSet<String> used = new TreeSet<>();
      if (this == ONE_CLUSTER) {
        used.addAll(component.flows());
        used.add(WHOLE_GRAPH_FLOW);
      }
      components.put(entry.getKey(),
          new Component(component.name(), component.chart(), used, component.resources(), component.placement()));
    }
    return new Graph(graph.key(), graph.labels(), graph.generation(), graph.placement(), graph.policyRef(), components, flows);
  }
}
