package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.GraphNames;
import com.petuum.rampart.admission.model.RampartGraph;

/**
 * Component names do not start with {@code rampart-flows}, because the namespaces that hold a
 * graph's flows are named {@code <ns>-<graph>-rampart-flows-volume} and
 * {@code ...-rampart-flows-repository}; and no component has the name of a flow, since both name
 * objects in one namespace of names.
 */
final class NameRule implements GraphRule {

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    for (Component component : graph.components().values()) {
      String path = EdgePaths.component(component);
      if (component.name().startsWith(GraphNames.RESERVED_COMPONENT_PREFIX)) {
        errors.add(
            path,
            "component name " + quote(component.name()) + " is reserved: names starting with \""
                + GraphNames.RESERVED_COMPONENT_PREFIX + "\" collide with the flows namespaces; rename the component");
      }
      if (graph.flows().containsKey(component.name())) {
        errors.add(
            path,
            "component name " + quote(component.name()) + " overlaps with flow " + quote(component.name())
                + "; components and flows share one set of names, rename one of them");
      }
    }
  }
}
