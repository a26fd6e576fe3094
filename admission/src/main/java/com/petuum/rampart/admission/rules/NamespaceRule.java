package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.FlowType;
import com.petuum.rampart.admission.model.GraphNames;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * The namespaces a graph creates on members are valid and distinct: each component namespace
 * ({@code <graph-namespace>-<graph>-<component>} or the override) is a DNS label of at most 63
 * characters, no two components share one, none equals the graph's namespace or a flows
 * namespace, and the flows namespaces themselves fit in 63 characters.
 */
final class NamespaceRule implements GraphRule {

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    if (graph.name().isEmpty()) {
      return;
    }
    Map<String, String> owners = new HashMap<>();
    for (FlowType type : new FlowType[] {FlowType.VOLUME, FlowType.REPOSITORY}) {
      if (hasFlowOfType(graph, type)) {
        String flowsNamespace = GraphNames.flowsNamespace(graph.namespace(), graph.name(), type);
        owners.put(flowsNamespace, "the " + type.apiName() + " flows");
        checkLength(flowsNamespace, "metadata.name", "the " + type.apiName() + " flows would use namespace", errors);
      }
    }
    for (Component component : graph.components().values()) {
      String namespace = graph.componentNamespace(component);
      String path = component.namespace().isPresent()
          ? FieldPath.child(EdgePaths.component(component), "namespace")
          : EdgePaths.component(component);
      if (!checkLength(namespace, path, "component " + quote(component.name()) + " would run in namespace", errors)) {
        continue;
      }
      if (namespace.equals(graph.namespace())) {
        errors.add(
            path,
            "component " + quote(component.name()) + " would run in the graph's own namespace " + quote(namespace)
                + "; choose another namespace or remove the override");
        continue;
      }
      String owner = owners.putIfAbsent(namespace, "component " + quote(component.name()));
      if (owner != null) {
        errors.add(
            path,
            "component " + quote(component.name()) + " and " + owner + " have an overlapping namespace "
                + quote(namespace) + "; set a distinct namespace for one of them");
      }
    }
  }

  private static boolean hasFlowOfType(RampartGraph graph, FlowType type) {
    for (Flow flow : graph.flows().values()) {
      if (flow.type() == type) {
        return true;
      }
    }
    return false;
  }

  /** Reports a namespace that is not a DNS label; {@code what} reads before the quoted name. */
  private static boolean checkLength(String namespace, String path, String what, ErrorCollector errors) {
    if (namespace.length() <= GraphNames.MAX_DNS_LABEL_LENGTH && JsonFields.isDnsLabel(namespace)) {
      return true;
    }
    if (namespace.length() > GraphNames.MAX_DNS_LABEL_LENGTH) {
      errors.add(
          path,
          what + " " + quote(namespace) + ", which has " + namespace.length() + " characters, more than the "
              + GraphNames.MAX_DNS_LABEL_LENGTH + " a namespace name allows; shorten the graph or component name, or "
              + "set a shorter namespace on the component");
    } else {
      errors.add(
          path,
          what + " " + quote(namespace) + ", which is not a valid namespace name; use lower-case letters, digits and '-'");
    }
    return false;
  }
}
