package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;

/**
 * No component namespace of the graph belongs to another graph. The graph's own earlier
 * namespaces are exempt, so updates and re-applies pass.
 */
final class NamespaceClaimRule {

  void check(RampartGraph graph, NamespaceClaims claims, ErrorCollector errors) {
    String self = graph.namespace() + "/" + graph.name();
    for (Component component : graph.components().values()) {
      String namespace = graph.componentNamespace(component);
      String owner = claims.owners().get(namespace);
      if (owner == null || owner.equals(self)) {
        continue;
      }
      String path = component.namespace().isPresent()
          ? FieldPath.child(EdgePaths.component(component), "namespace")
          : EdgePaths.component(component);
      errors.add(
          path,
          "component " + quote(component.name()) + " would run in namespace " + quote(namespace)
              + ", which RampartGraph " + owner + " already uses; set another namespace on the component or rename it");
    }
  }
}
