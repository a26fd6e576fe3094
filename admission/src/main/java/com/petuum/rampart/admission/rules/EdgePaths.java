package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.EdgeDirection;

/** Field paths and descriptions of edges for error messages. */
final class EdgePaths {

  private EdgePaths() {}

  static String component(Component component) {
    return FieldPath.child("spec.graph.components", component.name());
  }

  static String edge(Component component, Edge edge) {
    return FieldPath.child(FieldPath.child(component(component), edge.direction().fieldName()), edge.name());
  }

  static String mountPath(Component component, Edge edge) {
    return FieldPath.child(FieldPath.child(edge(component, edge), "config"), "mountPath");
  }

  /** Returns {@code input "data"} or {@code output "model"}. */
  static String describe(Edge edge) {
    return (edge.direction() == EdgeDirection.INPUT ? "input " : "output ") + quote(edge.name());
  }
}
