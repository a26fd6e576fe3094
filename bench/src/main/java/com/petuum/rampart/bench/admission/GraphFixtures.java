package com.petuum.rampart.bench.admission;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds valid v1 graphs of a given size for the admission benchmarks. */
final class GraphFixtures {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GraphFixtures() {}

  /**
   * Returns a pipeline of {@code components} components: each reads the previous one's volume
   * flow, writes its own, needs the previous component, and declares resources and placement, so
   * every rule has work to do. The graph is valid.
   */
  static ObjectNode pipeline(String name, int components) {
    ObjectNode graph = NODES.objectNode();
    graph.put("apiVersion", "rampart.petuum.com/v1");
    graph.put("kind", "RampartGraph");
    graph.putObject("metadata").put("name", name).put("namespace", "bench");

    ObjectNode spec = graph.putObject("spec");
    spec.put("deploy", true);
    ObjectNode placement = spec.putObject("placement");
    placement.put("strategy", "BinPack");
    placement.putArray("tolerations").addObject().put("key", "gpu").put("operator", "Exists").put("effect", "NoSchedule");
    ObjectNode expression = placement.putObject("clusterAffinity").putObject("labelSelector").putArray("matchExpressions").addObject();
    expression.put("key", "topology.rampart.petuum.com/region").put("operator", "In").putArray("values").add("us-east-1").add("eu-west-1");

    ObjectNode componentsNode = spec.putObject("graph").putObject("components");
    ObjectNode flows = ((ObjectNode) spec.get("graph")).putObject("flows");
    for (int i = 0; i < components; i++) {
      flows.putObject("f" + i).put("type", "volume").putObject("config").put("size", "10Gi").put("reclaimPolicy", "Delete");
      ObjectNode component = componentsNode.putObject("c" + i);
      component.putObject("chart").put("repo", "http://127.0.0.1:8879/charts").put("name", "batch-executor").put("version", "0.6.1");
      component.putObject("config").put("image", "trainer:1.0").put("replicas", 2);

      ObjectNode inputs = component.putObject("inputs");
      ObjectNode outputs = component.putObject("outputs");
      if (i > 0) {
        inputs.putObject("input_1").put("type", "volume").put("flow", "f" + (i - 1)).putObject("config").put("mountPath", "/data/in");
        component.putArray("needs").add("c" + (i - 1));
      }
      outputs.putObject("output_1").put("type", "volume").put("flow", "f" + i).putObject("config").put("mountPath", "/data/out");

      ObjectNode resources = component.putArray("resources").addObject();
      resources.put("count", 2);
      resources.putObject("requests").put("cpu", "4").put("memory", "16Gi").put("nvidia.com/gpu", "1");
    }
    return graph;
  }
}
