package com.petuum.rampart.common.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant NOW = Instant.parse("2026-01-02T00:00:00Z");

  @Test
  void unchangedStatusKeepsTransitionTime() throws Exception {
    JsonNode graph = new ObjectMapper().readTree("""
        {"metadata": {"generation": 3}, "status": {"conditions": [
          {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}""");

    JsonNode kept = Conditions.of(graph, "Ready", true, "Deployed", "", NOW);
    JsonNode flipped = Conditions.of(graph, "Ready", false, "Deploying", "1 of 2", NOW);

    assertThat(kept.path("lastTransitionTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(kept.path("observedGeneration").asLong()).isEqualTo(3);
    assertThat(flipped.path("lastTransitionTime").asText()).isEqualTo(NOW.toString());
    assertThat(flipped.path("status").asText()).isEqualTo("False");
    assertThat(flipped.path("message").asText()).isEqualTo("1 of 2");
  }

  @Test
  void newConditionStartsNow() throws Exception {
    JsonNode graph = new ObjectMapper().readTree("{\"metadata\": {\"generation\": 1}}");

    JsonNode condition = Conditions.of(graph, "Scheduled", true, "Placed", "web on east", NOW);

    assertThat(condition.path("type").asText()).isEqualTo("Scheduled");
    assertThat(condition.path("reason").asText()).isEqualTo("Placed");
    assertThat(condition.path("lastTransitionTime").asText()).isEqualTo(NOW.toString());
  }
}
