package com.petuum.rampart.admission.conversion;

import static com.petuum.rampart.admission.testing.JsonAssertions.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.testing.Yaml;
import org.junit.jupiter.api.Test;

class GraphConverterTest {

  private final GraphConverter converter = new GraphConverter();

  private static final String V1 =
      """
      apiVersion: rampart.petuum.com/v1
      kind: RampartGraph
      metadata: {name: g, namespace: ml, annotations: {team: vision}}
      spec:
        deploy: false
        placement: {strategy: Spread, policyRef: {name: gpu-first}}
        graph:
          components:
            trainer:
              chart: {repo: r, name: n}
              config: {}
              inputs: {}
              outputs: {}
              resources: [{count: 2, requests: {cpu: "4"}}]
              placement: {tolerations: [{operator: Exists}]}
          flows: {}
      status: {phase: Deployed}
      """;

  @Test
  void downgradeMovesNewerFieldsIntoAnnotation() throws Exception {
    ObjectNode v1beta1 = converter.convert(Yaml.parse(V1), GraphVersion.V1BETA1);

    assertThat(v1beta1.path("apiVersion").asText()).isEqualTo("rampart.petuum.com/v1beta1");
    assertThat(v1beta1.path("spec").has("deploy")).isFalse();
    assertThat(v1beta1.path("spec").has("placement")).isFalse();
    assertThat(v1beta1.path("spec").path("graph").path("components").path("trainer").has("resources")).isFalse();
    assertThat(v1beta1.path("metadata").path("annotations").path("team").asText()).isEqualTo("vision");
    ObjectNode saved = (ObjectNode) Yaml.JSON.readTree(
        v1beta1.path("metadata").path("annotations").path(GraphConverter.CONVERSION_ANNOTATION).asText());
    assertThat(saved.path("deploy").asBoolean(true)).isFalse();
    assertThat(saved.path("placement").path("strategy").asText()).isEqualTo("Spread");
    assertThat(saved.path("components").path("trainer").path("resources").get(0).path("count").asInt()).isEqualTo(2);
    assertThat(v1beta1.path("status").path("phase").asText()).isEqualTo("Deployed");
  }

  @Test
  void deployFalseSurvivesV1beta1RoundTrip() throws Exception {
    ObjectNode v1beta2 = Yaml.parse(
        "apiVersion: rampart.petuum.com/v1beta2\nkind: RampartGraph\nmetadata: {name: g}\nspec: {deploy: false, graph: {components: {}, flows: {}}}\n");

    ObjectNode back = converter.convert(converter.convert(v1beta2, GraphVersion.V1BETA1), GraphVersion.V1BETA2);

    assertSameJson(back, v1beta2, "back");
  }

  @Test
  void v1RoundTripsThroughEveryOlderVersion() throws Exception {
    ObjectNode v1 = Yaml.parse(V1);

    ObjectNode viaBeta1 = converter.convert(converter.convert(v1, GraphVersion.V1BETA1), GraphVersion.V1);
    ObjectNode viaBeta2 = converter.convert(converter.convert(v1, GraphVersion.V1BETA2), GraphVersion.V1);
    ObjectNode viaBoth = converter.convert(
        converter.convert(converter.convert(v1, GraphVersion.V1BETA1), GraphVersion.V1BETA2), GraphVersion.V1);

    assertSameJson(viaBeta1, v1, "viaBeta1");
    assertSameJson(viaBeta2, v1, "viaBeta2");
    assertSameJson(viaBoth, v1, "viaBoth");
  }

  @Test
  void v1beta2KeepsPlacementInAnnotationButRestoresDeploy() throws Exception {
    ObjectNode v1beta1 = converter.convert(Yaml.parse(V1), GraphVersion.V1BETA1);

    ObjectNode v1beta2 = converter.convert(v1beta1, GraphVersion.V1BETA2);

    assertThat(v1beta2.path("spec").path("deploy").asBoolean(true)).isFalse();
    assertThat(v1beta2.path("spec").has("placement")).isFalse();
    assertThat(v1beta2.path("metadata").path("annotations").path(GraphConverter.CONVERSION_ANNOTATION).asText())
        .contains("\"strategy\":\"Spread\"")
        .doesNotContain("deploy");
  }

  @Test
  void savedFieldsOfRemovedComponentAreDropped() throws Exception {
    ObjectNode v1beta1 = converter.convert(Yaml.parse(V1), GraphVersion.V1BETA1);
    ((ObjectNode) v1beta1.path("spec").path("graph").path("components")).remove("trainer");

    ObjectNode v1 = converter.convert(v1beta1, GraphVersion.V1);

    assertThat(v1.path("spec").path("graph").path("components").size()).isZero();
    assertThat(v1.path("spec").path("placement").path("strategy").asText()).isEqualTo("Spread");
    assertThat(v1.path("metadata").path("annotations").has(GraphConverter.CONVERSION_ANNOTATION)).isFalse();
  }

  @Test
  void specValueWinsOverAnnotation() throws Exception {
    ObjectNode v1beta2 = converter.convert(Yaml.parse(V1), GraphVersion.V1BETA2);
    ((ObjectNode) v1beta2.path("spec")).put("deploy", true);

    ObjectNode v1 = converter.convert(v1beta2, GraphVersion.V1);

    assertThat(v1.path("spec").path("deploy").asBoolean()).isTrue();
  }

  @Test
  void unparsableAnnotationIsLeftInPlace() throws Exception {
    ObjectNode v1beta1 = Yaml.parse(
        "apiVersion: rampart.petuum.com/v1beta1\nmetadata: {name: g, annotations: {rampart.petuum.com/conversion-data: '[1'}}\n"
            + "spec: {graph: {components: {}, flows: {}}}\n");

    ObjectNode v1 = converter.convert(v1beta1, GraphVersion.V1);

    assertThat(v1.path("metadata").path("annotations").path(GraphConverter.CONVERSION_ANNOTATION).asText()).isEqualTo("[1");
  }

  @Test
  void rejectsUnknownVersion() {
    ObjectNode other = Yaml.parse("apiVersion: example.com/v1\nspec: {}\n");

    assertThatThrownBy(() -> converter.convert(other, GraphVersion.V1))
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("\"example.com/v1\"");
  }
}
