package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * Edge names of one component, inputs and outputs together, are unique once {@code _} is read as
 * {@code -}, because both spell the same environment variable ({@code RAMPART_INPUT_a_b}).
 */
final class EdgeNameRule implements GraphRule {

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    for (Component component : graph.components().values()) {
      Map<String, Edge> seen = new HashMap<>();
      for (Edge edge : component.edges()) {
        Edge earlier = seen.putIfAbsent(edge.name().replace('_', '-'), edge);
        if (earlier != null) {
          errors.add(
              EdgePaths.edge(component, edge),
              "edge name " + quote(edge.name()) + " overlaps with " + EdgePaths.describe(earlier)
                  + " ('_' and '-' give the same variable name); rename one of them");
        }
      }
    }
  }
}
