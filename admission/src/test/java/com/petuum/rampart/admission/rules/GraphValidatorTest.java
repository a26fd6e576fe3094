package com.petuum.rampart.admission.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.petuum.rampart.admission.testing.Yaml;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rewrites the original Rampart validator's test cases against one template graph: a component
 * with a volume input, a repository input and a Pulsar output, and four flows, one of them unused.
 */
class GraphValidatorTest {

  static final String TEMPLATE =
      """
      apiVersion: rampart.petuum.com/v1beta2
      kind: RampartGraph
      metadata: {name: test-graph, namespace: default}
      spec:
        graph:
          components:
            component1:
              chart: {repo: "http://127.0.0.1:8879/charts", name: test_helm_valid_a, version: 0.1.0}
              type: some_type
              $ui: {}
              config: {}
              inputs:
                input1: {type: volume, flow: flow1, config: {mountPath: /input1}}
                input2: {type: repository, flow: flow3, config: {mountPath: /input2}}
              outputs:
                output1: {type: pulsar, flow: flow2}
          flows:
            flow1: {type: volume, config: {size: 1G}}
            flow2: {type: pulsar}
            flow3: {type: repository, config: {kind: git, size: 1G}}
            flow4: {type: repository, config: {kind: dvc, size: 1G}}
      """;

  private final GraphValidator validator = new GraphValidator();

  static ObjectNode template() {
    return Yaml.parse(TEMPLATE);
  }

  static ObjectNode at(ObjectNode root, String dottedPath) {
    ObjectNode node = root;
    for (String key : dottedPath.split("\\.")) {
      node = (ObjectNode) node.get(key);
    }
    return node;
  }

  static Consumer<ObjectNode> remove(String parent, String field) {
    return graph -> at(graph, parent).remove(field);
  }

  static Consumer<ObjectNode> put(String parent, String field, String value) {
    return graph -> at(graph, parent).set(field, TextNode.valueOf(value));
  }

  static Consumer<ObjectNode> rename(String parent, String from, String to) {
    return graph -> {
      ObjectNode node = at(graph, parent);
      JsonNode value = node.remove(from);
      node.set(to, value);
    };
  }

  private static final String COMPONENT = "spec.graph.components.component1";
  private static final String FLOWS = "spec.graph.flows";

  static Stream<Arguments> schemaViolations() {
    return Stream.of(
        Arguments.of("graph deleted", remove("spec", "graph"), "spec.graph"),
        Arguments.of("components deleted", remove("spec.graph", "components"), "spec.graph.components"),
        Arguments.of("flows deleted", remove("spec.graph", "flows"), "spec.graph.flows"),
        Arguments.of("extra key under graph", put("spec.graph", "extra", "x"), "spec.graph.extra"),
        Arguments.of("component chart deleted", remove(COMPONENT, "chart"), COMPONENT + ".chart"),
        Arguments.of("component inputs deleted", remove(COMPONENT, "inputs"), COMPONENT + ".inputs"),
        Arguments.of("component outputs deleted", remove(COMPONENT, "outputs"), COMPONENT + ".outputs"),
        Arguments.of("component config deleted", remove(COMPONENT, "config"), COMPONENT + ".config"),
        Arguments.of("extra component key", put(COMPONENT, "image", "x"), COMPONENT + ".image"),
        Arguments.of("chart name deleted", remove(COMPONENT + ".chart", "name"), COMPONENT + ".chart.name"),
        Arguments.of("chart repo deleted", remove(COMPONENT + ".chart", "repo"), COMPONENT + ".chart.repo"),
        Arguments.of("extra chart key", put(COMPONENT + ".chart", "digest", "x"), COMPONENT + ".chart.digest"),
        Arguments.of("input flow deleted", remove(COMPONENT + ".inputs.input1", "flow"), COMPONENT + ".inputs.input1.flow"),
        Arguments.of("input type deleted", remove(COMPONENT + ".inputs.input1", "type"), COMPONENT + ".inputs.input1.type"),
        Arguments.of("output flow deleted", remove(COMPONENT + ".outputs.output1", "flow"), COMPONENT + ".outputs.output1.flow"),
        Arguments.of("output type deleted", remove(COMPONENT + ".outputs.output1", "type"), COMPONENT + ".outputs.output1.type"),
        Arguments.of("extra key on an input", put(COMPONENT + ".inputs.input1", "mode", "x"), COMPONENT + ".inputs.input1.mode"),
        Arguments.of(
            "extra key on an input's config",
            put(COMPONENT + ".inputs.input1.config", "readOnly", "x"),
            COMPONENT + ".inputs.input1.config.readOnly"),
        Arguments.of("extra key on an output", put(COMPONENT + ".outputs.output1", "mode", "x"), COMPONENT + ".outputs.output1.mode"),
        Arguments.of("input name with a slash", rename(COMPONENT + ".inputs", "input1", "in/put"), COMPONENT + ".inputs[\"in/put\"]"),
        Arguments.of("output name with a slash", rename(COMPONENT + ".outputs", "output1", "out/put"), COMPONENT + ".outputs[\"out/put\"]"),
        Arguments.of("volume flow type deleted", remove(FLOWS + ".flow1", "type"), FLOWS + ".flow1.type"),
        Arguments.of("volume flow config deleted", remove(FLOWS + ".flow1", "config"), FLOWS + ".flow1.config"),
        Arguments.of("volume flow size deleted", remove(FLOWS + ".flow1.config", "size"), FLOWS + ".flow1.config.size"),
        Arguments.of("pulsar flow type deleted", remove(FLOWS + ".flow2", "type"), FLOWS + ".flow2.type"),
        Arguments.of("git flow kind deleted", remove(FLOWS + ".flow3.config", "kind"), FLOWS + ".flow3.config.kind"),
        Arguments.of("git flow size deleted", remove(FLOWS + ".flow3.config", "size"), FLOWS + ".flow3.config.size"),
        Arguments.of("dvc flow kind deleted", remove(FLOWS + ".flow4.config", "kind"), FLOWS + ".flow4.config.kind"),
        Arguments.of("dvc flow size deleted", remove(FLOWS + ".flow4.config", "size"), FLOWS + ".flow4.config.size"),
        Arguments.of("extra key on a volume flow", put(FLOWS + ".flow1", "mode", "x"), FLOWS + ".flow1.mode"),
        Arguments.of("extra key on a volume config", put(FLOWS + ".flow1.config", "storageClass", "x"), FLOWS + ".flow1.config.storageClass"),
        Arguments.of("invalid reclaim policy", put(FLOWS + ".flow1.config", "reclaimPolicy", "invalid"), FLOWS + ".flow1.config.reclaimPolicy"),
        Arguments.of("extra key on a pulsar flow", put(FLOWS + ".flow2", "tenant", "x"), FLOWS + ".flow2.tenant"),
        Arguments.of("flow name with a slash", rename(FLOWS, "flow4", "flow/4"), FLOWS + "[\"flow/4\"]"),
        Arguments.of("invalid repository kind", put(FLOWS + ".flow3.config", "kind", "invalid_kind"), FLOWS + ".flow3.config.kind"));
  }

  @Test
  void templateIsValid() {
    ValidationReport report = validator.validate(template(), "default");

    assertThat(report.errors()).isEmpty();
    assertThat(report.skippedRules()).isEqualTo(GraphValidator.CLUSTER_STATE_RULES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaViolations")
  void rejectsSchemaViolation(String name, Consumer<ObjectNode> change, String expectedField) {
    ObjectNode graph = template();
    change.accept(graph);

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors()).extracting(FieldError::field).contains(expectedField);
  }

  static Stream<Arguments> componentViolations() {
    return Stream.of(
        Arguments.of(
            "input names a missing flow",
            put(COMPONENT + ".inputs.input1", "flow", "not-exist"),
            COMPONENT + ".inputs.input1.flow",
            "uses flow \"not-exist\", which does not exist"),
        Arguments.of(
            "input type differs from its flow",
            put(COMPONENT + ".inputs.input1", "type", "pulsar"),
            COMPONENT + ".inputs.input1.type",
            "has type pulsar but flow \"flow1\" is a volume flow"),
        Arguments.of(
            "mount path under another edge's",
            put(COMPONENT + ".inputs.input2.config", "mountPath", "/input1/bad"),
            COMPONENT + ".inputs.input2.config.mountPath",
            "overlaps mount path \"/input1\" of input \"input1\""),
        Arguments.of(
            "output names a missing flow",
            put(COMPONENT + ".outputs.output1", "flow", "not-exist"),
            COMPONENT + ".outputs.output1.flow",
            "uses flow \"not-exist\", which does not exist"),
        Arguments.of(
            "output type differs from its flow",
            put(COMPONENT + ".outputs.output1", "type", "volume"),
            COMPONENT + ".outputs.output1.type",
            "has type volume but flow \"flow2\" is a pulsar flow"),
        Arguments.of(
            "repository input names a missing flow",
            put(COMPONENT + ".inputs.input2", "flow", "not-exist"),
            COMPONENT + ".inputs.input2.flow",
            "uses flow \"not-exist\", which does not exist"),
        Arguments.of(
            "repository input names a volume flow",
            put(COMPONENT + ".inputs.input2", "flow", "flow1"),
            COMPONENT + ".inputs.input2.type",
            "has type repository but flow \"flow1\" is a volume flow"),
        Arguments.of(
            "reserved component name",
            rename("spec.graph.components", "component1", "rampart-flows"),
            "spec.graph.components.rampart-flows",
            "is reserved"),
        Arguments.of(
            "component named like a flow",
            rename("spec.graph.components", "component1", "flow1"),
            "spec.graph.components.flow1",
            "overlaps with flow \"flow1\""),
        Arguments.of(
            "edge names differing in underscore and dash",
            rename(COMPONENT + ".outputs", "output1", "input-1"),
            COMPONENT + ".outputs.input-1",
            "overlaps with input"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("componentViolations")
  void rejectsComponentViolationWithOneError(String name, Consumer<ObjectNode> change, String field, String message) {
    ObjectNode graph = template();
    if (name.startsWith("edge names")) {
      rename(COMPONENT + ".inputs", "input1", "input_1").accept(graph);
    }
    change.accept(graph);

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors()).hasSize(1);
    assertThat(report.errors().get(0).field()).isEqualTo(field);
    assertThat(report.errors().get(0).message()).contains(message);
  }

  @Test
  void invalidFlowGetsOneError() {
    ObjectNode graph = template();
    remove(FLOWS + ".flow1", "type").accept(graph);

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors()).hasSize(1);
    assertThat(report.errors().get(0).field()).startsWith(FLOWS + ".flow1");
  }

  @Test
  void acceptsEdgeWithoutConfig() {
    ObjectNode graph = template();
    remove(COMPONENT + ".inputs.input1", "config").accept(graph);

    assertThat(validator.validate(graph, "default").errors()).isEmpty();
  }

  @Test
  void acceptsBothReclaimPolicies() {
    for (String policy : new String[] {"Retain", "Delete"}) {
      ObjectNode graph = template();
      put(FLOWS + ".flow1.config", "reclaimPolicy", policy).accept(graph);

      assertThat(validator.validate(graph, "default").errors()).as(policy).isEmpty();
    }
  }

  @Test
  void reportsErrorsOfEveryStageTogether() {
    ObjectNode graph = template();
    put(COMPONENT + ".inputs.input1", "flow", "not-exist").accept(graph);
    put(FLOWS + ".flow1.config", "reclaimPolicy", "Sometimes").accept(graph);
    rename(FLOWS, "flow4", "component1").accept(graph);

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            COMPONENT + ".inputs.input1.flow", FLOWS + ".flow1.config.reclaimPolicy", COMPONENT);
  }

  @Test
  void rejectsTooManyComponentsWithTheLimit() {
    ObjectNode graph = template();
    ObjectNode components = at(graph, "spec.graph.components");
    JsonNode component = components.get("component1");
    for (int i = 0; i < GraphLimits.MAX_COMPONENTS; i++) {
      components.set("c" + i, component.deepCopy());
    }

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors())
        .filteredOn(e -> e.field().equals("spec.graph.components"))
        .singleElement()
        .extracting(FieldError::message)
        .asString()
        .contains("501 components, more than the limit of 500");
  }

  @Test
  void rejectsOversizedObjectWithTheLimit() {
    ObjectNode graph = template();
    at(graph, COMPONENT + ".config").put("blob", "x".repeat(GraphLimits.MAX_OBJECT_BYTES));

    ValidationReport report = validator.validate(graph, "default");

    assertThat(report.errors()).singleElement().extracting(FieldError::message).asString()
        .contains("more than the limit of " + GraphLimits.MAX_OBJECT_BYTES);
  }

  @Test
  void rejectsFlowTypeChangeOfDeployedGraph() {
    ObjectNode previous = template();
    previous.putObject("status").put("phase", "Deployed");
    ObjectNode updated = template();
    remove(COMPONENT + ".inputs", "input1").accept(updated);
    at(updated, FLOWS + ".flow1").put("type", "pulsar").remove("config");

    ValidationReport report = validator.validateUpdate(updated, previous, "default");

    assertThat(report.errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo(FLOWS + ".flow1.type");
      assertThat(error.message()).contains("cannot change type from volume to pulsar");
    });
  }

  @Test
  void allowsFlowTypeChangeOfUndeployedGraph() {
    ObjectNode previous = template();
    previous.putObject("status").put("phase", "Undeployed");
    ObjectNode updated = template();
    remove(COMPONENT + ".inputs", "input1").accept(updated);
    at(updated, FLOWS + ".flow1").put("type", "pulsar").remove("config");

    assertThat(validator.validateUpdate(updated, previous, "default").errors()).isEmpty();
  }

  @Test
  void rejectsDeployFieldInV1beta1() {
    ObjectNode graph = template();
    graph.put("apiVersion", "rampart.petuum.com/v1beta1");
    at(graph, "spec").put("deploy", false);

    assertThat(validator.validate(graph, "default").errors()).extracting(FieldError::field).containsExactly("spec.deploy");
  }

  @Test
  void rejectsPlacementBeforeV1() {
    ObjectNode graph = template();
    at(graph, "spec").putObject("placement").put("strategy", "Spread");

    assertThat(validator.validate(graph, "default").errors()).extracting(FieldError::field).containsExactly("spec.placement");
  }

  @Test
  void rejectsUnknownApiVersion() {
    ObjectNode graph = template();
    graph.put("apiVersion", "rampart.petuum.com/v2");

    assertThat(validator.validate(graph, "default").errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("apiVersion");
      assertThat(error.message()).contains("\"rampart.petuum.com/v2\"").contains("rampart.petuum.com/v1beta1");
    });
  }

  @Test
  void acceptsGenerateNameInsteadOfName() {
    ObjectNode graph = template();
    at(graph, "metadata").remove("name");
    at(graph, "metadata").put("generateName", "test-");

    assertThat(validator.validate(graph, "default").errors()).isEmpty();
  }

  @Test
  void rejectsGraphWithoutName() {
    ObjectNode graph = template();
    at(graph, "metadata").remove("name");

    assertThat(validator.validate(graph, "default").errors()).extracting(FieldError::field).containsExactly("metadata.name");
  }

  @Test
  void rejectsSelfNeed() {
    ObjectNode graph = template();
    at(graph, COMPONENT).putArray("needs").add("component1");

    assertThat(validator.validate(graph, "default").errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo(COMPONENT + ".needs[0]");
      assertThat(error.message()).contains("needs itself");
    });
  }

  @Test
  void reportsLongNeedsCycleOnce() {
    StringBuilder yaml = new StringBuilder(
        "apiVersion: rampart.petuum.com/v1\nkind: RampartGraph\nmetadata: {name: chain}\nspec:\n  graph:\n    flows: {}\n    components:\n");
    int length = 400;
    for (int i = 0; i < length; i++) {
      yaml.append("      c").append(i).append(": {chart: {repo: r, name: n}, config: {}, inputs: {}, outputs: {}, needs: [c")
          .append((i + 1) % length).append("]}\n");
    }

    ValidationReport report = validator.validate(Yaml.parse(yaml.toString()), "default");

    assertThat(report.errors()).singleElement().extracting(FieldError::message).asString()
        .startsWith("needs form a cycle: c0 -> c1 -> c2");
  }

  @Test
  void rejectsNamespaceOfAnotherGraph() {
    NamespaceClaims claims = new NamespaceClaims(Map.of("default-test-graph-component1", "default/other"));

    ValidationReport report = validator.validate(template(), null, "default", claims);

    assertThat(report.errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo(COMPONENT);
      assertThat(error.message()).contains("which RampartGraph default/other already uses");
    });
    assertThat(report.skippedRules()).isEqualTo(GraphValidator.MEMBER_STATE_RULES);
  }

  @Test
  void acceptsGraphsOwnNamespaces() {
    NamespaceClaims claims = NamespaceClaims.of(List.of(template()));

    ValidationReport report = validator.validate(template(), template(), "default", claims);

    assertThat(claims.owners()).containsEntry("default-test-graph-component1", "default/test-graph");
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void treatsNullOptionalFieldsAsUnset() {
    ObjectNode graph = template();
    at(graph, COMPONENT).putNull("needs");
    at(graph, COMPONENT).putNull("namespace");
    at(graph, COMPONENT + ".chart").putNull("secret");
    at(graph, COMPONENT + ".inputs.input1").putNull("config");

    assertThat(validator.validate(graph, "default").errors()).isEmpty();
  }

  @Test
  void reportsNullRequiredFieldAsMissing() {
    ObjectNode graph = template();
    at(graph, COMPONENT).putNull("chart");

    assertThat(validator.validate(graph, "default").errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo(COMPONENT + ".chart");
      assertThat(error.message()).startsWith("is required");
    });
  }
}
