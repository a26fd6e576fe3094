package com.petuum.rampart.admission.rules;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;

/**
 * A component with {@code ingressNeeded: true} sets {@code auxConfig}, the values of the ingress
 * helper release; the original Rampart accepted the graph and then failed at every deploy attempt.
 */
final class IngressRule implements GraphRule {

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    for (Component component : graph.components().values()) {
      if (component.ingressNeeded() && !component.hasAuxConfig()) {
        errors.add(
            FieldPath.child(EdgePaths.component(component), "auxConfig"),
            "is required when ingressNeeded is true; add the ingress helper's values (auxConfig: {} for its defaults)"
                + " or set ingressNeeded to false");
      }
    }
  }
}
