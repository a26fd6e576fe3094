package com.petuum.rampart.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.proto.v1.ComponentStatus;
import com.petuum.rampart.proto.v1.WorkStatus;
import org.junit.jupiter.api.Test;

class LocalGraphStatusesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode graph(String labels, String annotations, long generation, String status) throws Exception {
    return JSON.readTree("""
        {"metadata": {"namespace": "ml", "name": "pipeline", "generation": %d,
                      "labels": %s, "annotations": %s},
         "status": %s}
        """.formatted(generation, labels, annotations, status));
  }

  private static final String HUB_LABELS = "{\"rampart.petuum.com/owned-by\": \"hub\"}";
  private static final String HUB_ANNOTATIONS =
      "{\"rampart.petuum.com/hub-uid\": \"uid-1\", \"rampart.petuum.com/hub-generation\": \"7\"}";

  @Test
  void deployedGraphIsReportedWithComponents() throws Exception {
    JsonNode graph = graph(HUB_LABELS, HUB_ANNOTATIONS, 3, """
        {"phase": "Deployed", "observedGeneration": 3, "messages": null,
         "conditions": [{"type": "Ready", "status": "True", "message": ""}],
         "components": {"serving": {"namespace": "ml-pipeline-serving", "phase": "Deployed", "message": "",
                                    "endpoints": ["serving.ml-pipeline-serving.svc:80"]}}}
        """);

    WorkStatus report = LocalGraphStatuses.of(graph).orElseThrow();

    assertThat(report.getKey().getGraphUid()).isEqualTo("uid-1");
    assertThat(report.getKey().getGraphNamespace()).isEqualTo("ml");
    assertThat(report.getKey().getGraphName()).isEqualTo("pipeline");
    assertThat(report.getGeneration()).isEqualTo(7);
    assertThat(report.getPhase()).isEqualTo("Deployed");
    assertThat(report.getMessage()).isEmpty();
    assertThat(report.getComponentsList()).containsExactly(ComponentStatus.newBuilder()
        .setName("serving").setNamespace("ml-pipeline-serving").setPhase("Deployed").setMessage("")
        .addEndpoints("serving.ml-pipeline-serving.svc:80").build());
  }

  @Test
  void messagesWinOverReadyCondition() throws Exception {
    JsonNode graph = graph(HUB_LABELS, HUB_ANNOTATIONS, 1, """
        {"phase": "DeployedWithErrors", "observedGeneration": 1,
         "messages": "errors occurred during deployment\\nexecutor: helm says no",
         "conditions": [{"type": "Ready", "status": "False", "message": "1 of 3 components are not deployed"}]}
        """);

    assertThat(LocalGraphStatuses.of(graph).orElseThrow().getMessage())
        .isEqualTo("errors occurred during deployment\nexecutor: helm says no");
  }

  @Test
  void readyConditionMessageWhenNoMessages() throws Exception {
    JsonNode graph = graph(HUB_LABELS, HUB_ANNOTATIONS, 1, """
        {"phase": "Deploying", "observedGeneration": 1,
         "conditions": [{"type": "Validated", "status": "True", "message": "fine"},
                        {"type": "Ready", "status": "False", "message": "2 of 3 components are not deployed"}]}
        """);

    assertThat(LocalGraphStatuses.of(graph).orElseThrow().getMessage()).isEqualTo("2 of 3 components are not deployed");
  }

  @Test
  void statusOfOlderSpecIsNotReported() throws Exception {
    JsonNode graph = graph(HUB_LABELS, HUB_ANNOTATIONS, 4, "{\"phase\": \"Deployed\", \"observedGeneration\": 3}");

    assertThat(LocalGraphStatuses.of(graph)).isEmpty();
  }

  @Test
  void deletingGraphIsReportedDespiteGeneration() throws Exception {
    JsonNode graph = graph(HUB_LABELS, HUB_ANNOTATIONS, 4, "{\"phase\": \"Deleting\", \"observedGeneration\": 3}");
    ((ObjectNode) graph.path("metadata")).put("deletionTimestamp", "2026-12-04T10:00:00Z");

    assertThat(LocalGraphStatuses.of(graph).orElseThrow().getPhase()).isEqualTo("Deleting");
  }

  @Test
  void graphWithoutPhaseIsNotReported() throws Exception {
    assertThat(LocalGraphStatuses.of(graph(HUB_LABELS, HUB_ANNOTATIONS, 1, "{}"))).isEmpty();
  }

  @Test
  void userGraphIsNotReported() throws Exception {
    JsonNode graph = graph("{}", HUB_ANNOTATIONS, 1, "{\"phase\": \"Deployed\", \"observedGeneration\": 1}");

    assertThat(LocalGraphStatuses.of(graph)).isEmpty();
  }

  @Test
  void invalidHubGenerationIsNotReported() throws Exception {
    JsonNode graph = graph(HUB_LABELS,
        "{\"rampart.petuum.com/hub-uid\": \"uid-1\", \"rampart.petuum.com/hub-generation\": \"seven\"}", 1,
        "{\"phase\": \"Deployed\", \"observedGeneration\": 1}");

    assertThat(LocalGraphStatuses.of(graph)).isEmpty();
  }
}
