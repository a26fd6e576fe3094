package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.RampartGraph;

/**
 * Every edge names a flow of the graph, and the edge's type equals the flow's type. Applies to
 * repository edges too, which the original Rampart crashed on instead of reporting.
 */
final class FlowReferenceRule implements GraphRule {

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    for (Component component : graph.components().values()) {
      for (Edge edge : component.edges()) {
        String edgePath = EdgePaths.edge(component, edge);
        Flow flow = graph.flows().get(edge.flow());
        if (flow == null && errors.hasErrorWithin(FieldPath.child("spec.graph.flows", edge.flow()))) {
          // The flow exists but is invalid, and its own error explains why, so "does not exist" would be false.
          continue;
        }
        if (flow == null) {
          errors.add(
              FieldPath.child(edgePath, "flow"),
              EdgePaths.describe(edge) + " uses flow " + quote(edge.flow())
                  + ", which does not exist in spec.graph.flows; add the flow or fix the name");
        } else if (flow.type() != edge.type()) {
          errors.add(
              FieldPath.child(edgePath, "type"),
              EdgePaths.describe(edge) + " has type " + edge.type().apiName() + " but flow " + quote(flow.name())
                  + " is a " + flow.type().apiName() + " flow; make the two types equal");
        }
      }
    }
  }
}
