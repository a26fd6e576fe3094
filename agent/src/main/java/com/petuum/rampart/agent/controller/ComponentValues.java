package com.petuum.rampart.agent.controller;

import com.petuum.rampart.admission.model.EdgeDirection;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.mutation.WiredEdge;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the values a component's chart receives, as the original Rampart does: the component's
 * {@code config}, deep-merged with a {@code rampart} block and the same block under
 * {@code global.rampart} for subcharts. Where both set a key, the Rampart block wins.
 *
 * <p>The block holds {@code inputs} and {@code outputs} (edge name to mount path, or to the
 * Pulsar topic URL), {@code graphName}, {@code namespace} (the graph's), {@code registry} and
 * {@code URLPrefix} ({@code /<graph-namespace>/<graph>/<component>}). Stateless.
 */
final class ComponentValues {

  private ComponentValues() {}

  /** Returns the merged values; {@code config} is not changed. */
  static Map<String, Object> merge(
      Map<String, Object> config, RampartGraph graph, ComponentWiring wiring, String registry) {
    Map<String, Object> block = rampartBlock(graph, wiring, registry);
    Map<String, Object> overlay = new LinkedHashMap<>();
    overlay.put("rampart", block);
    overlay.put("global", Map.of("rampart", block));
    return deepMerge(config, overlay);
  }

  static Map<String, Object> rampartBlock(RampartGraph graph, ComponentWiring wiring, String registry) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (WiredEdge edge : wiring.edges()) {
      (edge.direction() == EdgeDirection.INPUT ? inputs : outputs).put(edge.name(), edge.value());
    }
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("inputs", inputs);
    block.put("outputs", outputs);
    block.put("graphName", graph.name());
    block.put("namespace", graph.namespace());
    block.put("registry", registry);
    block.put("URLPrefix", "/" + graph.namespace() + "/" + graph.name() + "/" + wiring.component());
    return block;
  }

  /**
   * Returns {@code base} with {@code overlay} merged in: nested maps merge key by key, and any
   * other overlay value (lists included) replaces the base value.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    for (Map.Entry<String, Object> entry : overlay.entrySet()) {
      Object existing = merged.get(entry.getKey());
      if (existing instanceof Map<?, ?> existingMap && entry.getValue() instanceof Map<?, ?> overlayMap) {
        merged.put(entry.getKey(), deepMerge((Map<String, Object>) existingMap, (Map<String, Object>) overlayMap));
      } else {
        merged.put(entry.getKey(), entry.getValue());
      }
    }
    return merged;
  }
}
