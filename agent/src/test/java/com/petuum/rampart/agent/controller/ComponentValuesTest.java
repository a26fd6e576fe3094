package com.petuum.rampart.agent.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.rules.GraphModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentValuesTest {

  private static final String GRAPH = """
      apiVersion: rampart.petuum.com/v1
      kind: RampartGraph
      metadata: {name: pipe, namespace: ml}
      spec:
        graph:
          components:
            trainer:
              chart: {repo: http://127.0.0.1:1/charts, name: batch-executor, version: 0.6.1}
              config: {}
              inputs:
                data: {type: volume, flow: raw, config: {mountPath: /data}}
              outputs:
                events: {type: pulsar, flow: events}
          flows:
            raw: {type: volume, config: {size: 1Gi}}
            events: {type: pulsar}
      """;

  @Test
  void rampartBlockWinsAndConfigStays() throws Exception {
    RampartGraph graph = GraphModels.parse(new ObjectMapper(new YAMLFactory()).readTree(GRAPH), "ml");
    ComponentWiring wiring = ComponentWiring.of(graph, "trainer", ClusterFacts.withGpus(false));
    Map<String, Object> config = Map.of(
        "replicas", 3,
        "rampart", Map.of("graphName", "user-value", "extra", "kept"),
        "global", Map.of("image", Map.of("tag", "1.0")));

    Map<String, Object> values = ComponentValues.merge(config, graph, wiring, "registry.example");

    assertThat(values).containsEntry("replicas", 3);
    @SuppressWarnings("unchecked")
    Map<String, Object> rampart = (Map<String, Object>) values.get("rampart");
    assertThat(rampart).containsEntry("graphName", "pipe");
    assertThat(rampart).containsEntry("extra", "kept");
    assertThat(rampart).containsEntry("namespace", "ml");
    assertThat(rampart).containsEntry("registry", "registry.example");
    assertThat(rampart).containsEntry("URLPrefix", "/ml/pipe/trainer");
    assertThat(rampart).containsEntry("inputs", Map.of("data", "/data"));
    assertThat(rampart).containsEntry("outputs", Map.of("events",
        ClusterFacts.DEFAULT_PULSAR_SERVICE_URL + "/rampart/ml_pipe/events"));
    @SuppressWarnings("unchecked")
    Map<String, Object> global = (Map<String, Object>) values.get("global");
    assertThat(global).containsEntry("image", Map.of("tag", "1.0"));
    assertThat(global).containsKey("rampart");
    assertThat(config).containsEntry("rampart", Map.of("graphName", "user-value", "extra", "kept"));
  }

  @Test
  void deepMergeReplacesLists() {
    Map<String, Object> merged = ComponentValues.deepMerge(
        Map.of("a", List.of(1, 2), "b", Map.of("c", 1, "d", 2)),
        Map.of("a", List.of(3), "b", Map.of("d", 5)));

    assertThat(merged).containsEntry("a", List.of(3));
    assertThat(merged).containsEntry("b", Map.of("c", 1, "d", 5));
  }
}
