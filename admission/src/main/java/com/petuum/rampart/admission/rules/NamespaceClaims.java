package com.petuum.rampart.admission.rules;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * The component namespaces that existing graphs use, each with the graph that uses it, so a new
 * or changed graph can be checked against them. Immutable.
 *
 * @param owners namespace to the owning graph as {@code <namespace>/<name>}
 */
public record NamespaceClaims(Map<String, String> owners) {

  public NamespaceClaims {
    owners = Map.copyOf(requireNonNull(owners, "owners"));
  }

  public static NamespaceClaims none() {
    return new NamespaceClaims(Map.of());
  }

  /** Collects the claims of {@code graphs}, whole RampartGraph objects in any served version. */
  public static NamespaceClaims of(Iterable<JsonNode> graphs) {
    Map<String, String> owners = new HashMap<>();
    for (JsonNode object : graphs) {
      String namespace = object.path("metadata").path("namespace").asText("");
      RampartGraph graph = GraphModels.parse(object, namespace);
      for (Component component : graph.components().values()) {
        owners.putIfAbsent(graph.componentNamespace(component), namespace + "/" + graph.name());
      }
    }
    return new NamespaceClaims(owners);
  }
}
