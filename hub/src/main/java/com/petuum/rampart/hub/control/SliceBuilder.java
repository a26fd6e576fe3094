package com.petuum.rampart.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Cuts the slice of a hub graph that one member cluster runs: a RampartGraph v1 with the
 * components released to that cluster and the flows they touch.
 *
 * <p>In the slice, each component keeps only the {@code needs} on components of the same
 * cluster, which the local controller orders; needs on other clusters were met before the
 * component was released. Placement fields are dropped, since the member does not schedule.
 * The output depends only on the inputs, key order included, so the same inputs give the same
 * slice hash and an agent that already has the slice is not sent it again.
 */
final class SliceBuilder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SliceBuilder() {}

  /**
   * Returns the slice.
   *
   * @param graph the hub graph at {@code rampart.petuum.com/v1}
   * @param released the components to include, all placed on this cluster
   */
  static ObjectNode build(JsonNode graph, Set<String> released) {
    JsonNode metadata = graph.path("metadata");
    ObjectNode slice = JSON.createObjectNode();
    slice.put("apiVersion", HubObjects.GROUP + "/" + HubObjects.VERSION);
    slice.put("kind", "RampartGraph");
    ObjectNode sliceMetadata = slice.putObject("metadata");
    sliceMetadata.put("name", metadata.path("name").asText());
    sliceMetadata.put("namespace", metadata.path("namespace").asText());
    if (metadata.path("labels").isObject()) {
      sliceMetadata.set("labels", metadata.path("labels").deepCopy());
    }
    ObjectNode spec = slice.putObject("spec");
    spec.put("deploy", true);
    ObjectNode sliceGraph = spec.putObject("graph");
    ObjectNode components = sliceGraph.putObject("components");
    Set<String> flows = new LinkedHashSet<>();
    JsonNode allComponents = graph.path("spec").path("graph").path("components");
    for (Iterator<Map.Entry<String, JsonNode>> it = allComponents.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!released.contains(entry.getKey())) {
        continue;
      }
      ObjectNode component = entry.getValue().deepCopy();
      component.remove("placement");
      if (component.has("needs")) {
        ArrayNode needs = JSON.createArrayNode();
        component.path("needs").forEach(need -> {
          if (released.contains(need.asText())) {
            needs.add(need.asText());
          }
        });
        if (needs.isEmpty()) {
          component.remove("needs");
        } else {
          component.set("needs", needs);
        }
      }
      for (String side : new String[] {"inputs", "outputs"}) {
        component.path(side).forEach(edge -> {
          if (edge.hasNonNull("flow")) {
            flows.add(edge.path("flow").asText());
          }
        });
      }
      components.set(entry.getKey(), component);
    }
    ObjectNode sliceFlows = sliceGraph.putObject("flows");
    JsonNode allFlows = graph.path("spec").path("graph").path("flows");
    for (Iterator<Map.Entry<String, JsonNode>> it = allFlows.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (flows.contains(entry.getKey())) {
        sliceFlows.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
    return slice;
  }
}
