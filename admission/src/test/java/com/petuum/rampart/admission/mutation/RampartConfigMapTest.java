package com.petuum.rampart.admission.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.admission.rules.GraphModels;
import com.petuum.rampart.admission.testing.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RampartConfigMapTest {

  @Test
  void listsComponentAndEdges() throws Exception {
    JsonNode graph = Yaml.read(Yaml.repositoryRoot().resolve("examples/graphs/valid/simple-v1beta1.yaml"));
    ComponentWiring wiring = ComponentWiring.of(GraphModels.parse(graph, "default"), "component0", ClusterFacts.withGpus(false));

    Map<String, String> data = RampartConfigMap.data(wiring);

    assertThat(Yaml.YAML.readTree(data.get(RampartConfigMap.COMPONENT_FILE)).path("name").asText()).isEqualTo("component0");
    JsonNode edges = Yaml.YAML.readTree(data.get(RampartConfigMap.EDGES_FILE));
    assertThat(edges.findValuesAsText("name")).containsExactly("input-pulsar-1", "input-volume-0");
    assertThat(edges.findValuesAsText("type")).containsExactly("pulsar", "volume");
    assertThat(edges.findValuesAsText("part")).containsExactly("input", "input");
  }

  @Test
  void writesEmptyListWithoutEdges() throws Exception {
    ComponentWiring wiring = new ComponentWiring("lonely", java.util.List.of());

    Map<String, String> data = RampartConfigMap.data(wiring);

    assertThat(Yaml.YAML.readTree(data.get(RampartConfigMap.EDGES_FILE)).isArray()).isTrue();
    assertThat(Yaml.YAML.readTree(data.get(RampartConfigMap.EDGES_FILE)).size()).isZero();
  }
}
