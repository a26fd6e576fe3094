package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One component of a graph: a Helm chart with its values and the edges that join it to flows.
 * Immutable.
 *
 * @param name the component name, a DNS label
 * @param chart the chart, empty when it did not parse
 * @param inputs input edges by name, in the order written
 * @param outputs output edges by name, in the order written
 * @param namespace the namespace override; empty means {@code <graph-namespace>-<graph>-<component>}
 * @param needs components that must be deployed before this one
 * @param ingressNeeded whether an ingress helper release is installed beside the chart
 * @param hasAuxConfig whether {@code auxConfig} is set, which the ingress helper needs
 * @param resources the pods the chart runs, as the scheduler counts them (v1 only)
 */
public record Component(
    String name,
    Optional<Chart> chart,
    Map<String, Edge> inputs,
    Map<String, Edge> outputs,
    Optional<String> namespace,
    List<String> needs,
    boolean ingressNeeded,
    boolean hasAuxConfig,
    List<PodResources> resources) {

  public Component {
    requireNonNull(name, "name");
    requireNonNull(chart, "chart");
    inputs = OrderedMaps.copyOf(requireNonNull(inputs, "inputs"));
    outputs = OrderedMaps.copyOf(requireNonNull(outputs, "outputs"));
    requireNonNull(namespace, "namespace");
    needs = List.copyOf(requireNonNull(needs, "needs"));
    resources = List.copyOf(requireNonNull(resources, "resources"));
  }

  /** Returns the inputs, then the outputs. */
  public List<Edge> edges() {
    List<Edge> edges = new ArrayList<>(inputs.values());
    edges.addAll(outputs.values());
    return edges;
  }
}
