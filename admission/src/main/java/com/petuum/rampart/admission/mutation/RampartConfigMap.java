package com.petuum.rampart.admission.mutation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The data of the ConfigMap that pods of a component see at {@code /.RAMPART}, in the format the
 * original Rampart's liveness service reads: {@code component.yaml} with the component's name and
 * {@code edges.yaml} with one {@code {name, type, part}} entry per edge. The agent's local
 * controller creates the ConfigMap, named after the component, in the component's namespace.
 */
public final class RampartConfigMap {

  public static final String COMPONENT_FILE = "component.yaml";
  public static final String EDGES_FILE = "edges.yaml";

  private RampartConfigMap() {}

  /** Returns the ConfigMap's data: file name to YAML text. */
  public static Map<String, String> data(ComponentWiring wiring) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(COMPONENT_FILE, "name: " + quote(wiring.component()) + "\n");
    StringBuilder edges = new StringBuilder();
    for (WiredEdge edge : wiring.edges()) {
      edges.append("- name: ").append(quote(edge.name())).append('\n')
          .append("  type: ").append(edge.type().apiName()).append('\n')
          .append("  part: ").append(edge.direction().envPart().toLowerCase(Locale.ROOT)).append('\n');
    }
    data.put(EDGES_FILE, edges.length() == 0 ? "[]\n" : edges.toString());
    return data;
  }

  /** Quotes a name for YAML; edge names may be empty or look like numbers. */
  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
