package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The parts of a RampartGraph that validation, pod wiring and the scheduler read, in any served
 * version. Immutable.
 *
 * @param namespace the graph's namespace; empty when the object names none (an offline file)
 * @param name the graph's name
 * @param version the API version it was written in
 * @param deploy whether the graph should be deployed ({@code spec.deploy}, default true)
 * @param components components by name, in the order written
 * @param flows flows by name, in the order written
 */
public record RampartGraph(
    String namespace,
    String name,
    GraphVersion version,
    boolean deploy,
    Map<String, Component> components,
    Map<String, Flow> flows) {

  public RampartGraph {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(version, "version");
    components = OrderedMaps.copyOf(requireNonNull(components, "components"));
    flows = OrderedMaps.copyOf(requireNonNull(flows, "flows"));
  }

  /** Returns the namespace a component runs in on its member cluster. */
  public String componentNamespace(Component component) {
    return component.namespace().orElseGet(() -> GraphNames.componentNamespace(namespace, name, component.name()));
  }
}
