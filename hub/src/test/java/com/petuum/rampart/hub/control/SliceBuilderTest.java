package com.petuum.rampart.hub.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SliceBuilderTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String GRAPH = """
      apiVersion: rampart.petuum.com/v1
      kind: RampartGraph
      metadata:
        name: pipeline
        namespace: ml
        uid: 1234
        labels: {team: vision}
      spec:
        placement: {strategy: Spread}
        graph:
          components:
            uploader:
              chart: {repo: "http://charts", name: uploader, version: 0.1.0}
              outputs: {raw: {type: volume, flow: raw}}
            trainer:
              chart: {repo: "http://charts", name: batch-executor, version: 0.6.1}
              needs: [uploader]
              inputs: {raw: {type: volume, flow: raw}}
              outputs: {model: {type: repository, flow: models}}
              placement: {clusterAffinity: {clusterNames: [east]}}
            serving:
              chart: {repo: "http://charts", name: serving, version: 0.1.0}
              needs: [trainer, uploader]
              inputs: {model: {type: repository, flow: models}}
          flows:
            raw: {type: volume, config: {size: 1Gi}}
            models: {type: repository, config: {kind: git, remote: "https://git.example/m.git"}}
            unused: {type: pulsar}
      """;

  @Test
  void sliceKeepsReleasedComponentsAndFlows() throws Exception {
    JsonNode slice = SliceBuilder.build(YAML.readTree(GRAPH), Set.of("uploader", "serving"));

    assertThat(slice.path("apiVersion").asText()).isEqualTo("rampart.petuum.com/v1");
    assertThat(slice.path("metadata").toString()).isEqualTo("{\"name\":\"pipeline\",\"namespace\":\"ml\",\"labels\":{\"team\":\"vision\"}}");
    assertThat(slice.path("spec").has("placement")).isFalse();
    assertThat(slice.path("spec").path("deploy").asBoolean()).isTrue();
    JsonNode components = slice.path("spec").path("graph").path("components");
    assertThat(components.fieldNames()).toIterable().containsExactly("uploader", "serving");
    assertThat(components.path("serving").path("needs").toString()).isEqualTo("[\"uploader\"]");
    assertThat(slice.path("spec").path("graph").path("flows").fieldNames()).toIterable().containsExactly("raw", "models");
  }

  @Test
  void remoteNeedsAndPlacementDropped() throws Exception {
    JsonNode slice = SliceBuilder.build(YAML.readTree(GRAPH), Set.of("trainer"));

    JsonNode trainer = slice.path("spec").path("graph").path("components").path("trainer");
    assertThat(trainer.has("needs")).isFalse();
    assertThat(trainer.has("placement")).isFalse();
    assertThat(trainer.path("chart").path("name").asText()).isEqualTo("batch-executor");
  }

  @Test
  void sameInputsGiveTheSameBytes() throws Exception {
    String first = SliceBuilder.build(YAML.readTree(GRAPH), Set.of("uploader", "trainer")).toString();
    String second = SliceBuilder.build(YAML.readTree(GRAPH), Set.of("trainer", "uploader")).toString();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void sliceGenerationsOrderUpsertsAndRemovals() {
    assertThat(SliceGeneration.of(3, 1)).isLessThan(SliceGeneration.of(3, 2));
    assertThat(SliceGeneration.of(3, 40)).isLessThan(SliceGeneration.removal(3));
    assertThat(SliceGeneration.removal(3)).isLessThan(SliceGeneration.of(4, 1));
    assertThat(SliceGeneration.graphGeneration(SliceGeneration.of(7, 5))).isEqualTo(7);
    assertThat(SliceGeneration.graphGeneration(SliceGeneration.removal(7))).isEqualTo(7);
    assertThatThrownBy(() -> SliceGeneration.of(0, 1)).hasMessageContaining("graphGeneration 0");
    assertThatThrownBy(() -> SliceGeneration.of(1, 0)).hasMessageContaining("releasedComponents 0");
  }
}
