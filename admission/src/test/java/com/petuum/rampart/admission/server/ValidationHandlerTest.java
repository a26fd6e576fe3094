package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.rules.ChartRepositoryWarnings;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.NamespaceClaims;
import com.petuum.rampart.admission.rules.PolicyValidator;
import com.petuum.rampart.admission.testing.Yaml;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationHandlerTest {

  private static final JsonNode DEMO = Yaml.read(Yaml.repositoryRoot().resolve("examples/graphs/valid/demo-v1beta2.yaml"));

  private static ObjectNode review(String operation, JsonNode object, JsonNode oldObject) {
    ObjectNode review = Yaml.JSON.createObjectNode();
    ObjectNode request = review.putObject("request");
    request.put("uid", "u").put("operation", operation).put("namespace", "default");
    request.putObject("kind").put("kind", "RampartGraph");
    request.set("object", object);
    if (oldObject != null) {
      request.set("oldObject", oldObject);
    }
    return review;
  }

  @Test
  void deniesWhenOtherGraphsCannotBeRead() {
    NamespaceClaimSource broken = () -> {
      throw new IOException("listing RampartGraphs failed with HTTP 503");
    };
    ValidationHandler handler = new ValidationHandler(new GraphValidator(), new PolicyValidator(), Optional.of(broken));

    JsonNode response = handler.handle(review("CREATE", DEMO, null)).path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").path("message").asText()).contains("could not read the other graphs", "HTTP 503");
  }

  @Test
  void rejectsNamespaceClaimedByOtherGraph() {
    NamespaceClaimSource claims = () -> new NamespaceClaims(Map.of("default-demo-batch-uploader", "default/older"));
    ValidationHandler handler = new ValidationHandler(new GraphValidator(), new PolicyValidator(), Optional.of(claims));

    JsonNode response = handler.handle(review("CREATE", DEMO, null)).path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("details").path("causes").get(0).path("message").asText())
        .contains("which RampartGraph default/older already uses");
  }

  @Test
  void warnsAboutRepositoriesNamedBySecret() {
    ValidationHandler handler = new ValidationHandler(new GraphValidator(), new PolicyValidator(), Optional.empty());
    ObjectNode graph = DEMO.deepCopy();
    ObjectNode components = (ObjectNode) graph.path("spec").path("graph").path("components");
    components.fields().forEachRemaining(component ->
        ((ObjectNode) component.getValue().path("chart")).put("repo", "https://charts.example.com/rampart"));
    ((ObjectNode) components.path("batch-uploader").path("chart")).put("repo", "rampart-repo");

    JsonNode response = handler.handle(review("CREATE", graph, null)).path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings")).hasSize(1);
    assertThat(response.path("warnings").get(0).asText())
        .startsWith("spec.graph.components.batch-uploader.chart.repo: \"rampart-repo\" names a Secret")
        .endsWith("give the chart repository URL instead");
  }

  @Test
  void warnsAboutRepositoriesOfOtherSchemes() {
    ObjectNode graph = DEMO.deepCopy();
    graph.path("spec").path("graph").path("components").fields().forEachRemaining(component ->
        ((ObjectNode) component.getValue().path("chart")).put("repo", "oci://registry.example.com/charts"));

    assertThat(ChartRepositoryWarnings.of(graph)).isNotEmpty().allSatisfy(warning ->
        assertThat(warning).contains(".chart.repo: \"oci://registry.example.com/charts\" is not an http or https URL"));
  }

  @Test
  void repositoryUrlsGetNoWarning() {
    ObjectNode graph = DEMO.deepCopy();
    graph.path("spec").path("graph").path("components").fields().forEachRemaining(component ->
        ((ObjectNode) component.getValue().path("chart")).put("repo", "http://127.0.0.1:8879/charts"));

    assertThat(ChartRepositoryWarnings.of(graph)).isEmpty();
  }

  @Test
  void admitsDeleteOperationWithoutValidating() {
    ValidationHandler handler = new ValidationHandler(new GraphValidator(), new PolicyValidator(), Optional.empty());
    ObjectNode invalid = Yaml.read(Yaml.repositoryRoot().resolve("examples/graphs/invalid/needs-cycle.yaml"));

    JsonNode response = handler.handle(review("DELETE", invalid, null)).path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void checksImmutableFieldsOnUpdate() {
    ValidationHandler handler = new ValidationHandler(new GraphValidator(), new PolicyValidator(), Optional.of(NamespaceClaims::none));
    ObjectNode previous = DEMO.deepCopy();
    previous.putObject("status").put("phase", "Deployed");
    ObjectNode updated = DEMO.deepCopy();
    ((ObjectNode) updated.path("spec").path("graph").path("flows").path("batch-input")).put("type", "pulsar").remove("config");
    ((ObjectNode) updated.path("spec").path("graph").path("components").path("batch-uploader").path("outputs").path("output_1"))
        .put("type", "pulsar");

    JsonNode response = handler.handle(review("UPDATE", updated, previous)).path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.graph.flows.batch-input.type");
  }
}
