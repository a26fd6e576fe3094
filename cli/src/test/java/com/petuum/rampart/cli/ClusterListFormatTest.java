package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ClusterListFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode capacity(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void cpuIsShownInCoresOnBothSides() throws Exception {
    JsonNode capacity = capacity("{\"allocatable\": {\"cpu\": \"96\"}, \"available\": {\"cpu\": \"83800m\"}}");

    assertThat(ClusterListCommand.freeOfTotal(capacity, "cpu")).isEqualTo("83.8/96");
  }

  @Test
  void memoryIsShownInGibibytesOnBothSides() throws Exception {
    JsonNode capacity = capacity(
        "{\"allocatable\": {\"memory\": \"137438953472\"}, \"available\": {\"memory\": \"123456Mi\"}}");

    assertThat(ClusterListCommand.freeOfTotal(capacity, "memory")).isEqualTo("120.5Gi/128Gi");
  }

  @Test
  void otherResourcesAreCounts() throws Exception {
    JsonNode capacity = capacity("{\"allocatable\": {\"nvidia.com/gpu\": \"8\"}, \"available\": {\"nvidia.com/gpu\": \"3\"}}");

    assertThat(ClusterListCommand.freeOfTotal(capacity, "nvidia.com/gpu")).isEqualTo("3/8");
  }

  @Test
  void missingAndUnparsableValuesStayVisible() throws Exception {
    JsonNode capacity = capacity("{\"allocatable\": {\"cpu\": \"lots\"}}");

    assertThat(ClusterListCommand.freeOfTotal(capacity, "cpu")).isEqualTo("?/lots");
    assertThat(ClusterListCommand.freeOfTotal(capacity, "memory")).isEmpty();
  }
}
