package com.petuum.rampart.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger("com.petuum.rampart.hub.control.GraphReconciler");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void clearContext() {
    MDC.clear();
  }

  @Test
  void jsonLineCarriesContextFields() throws Exception {
    LogSetup.configure(LogFormat.JSON, "info", Map.of("cluster", "gpu-east"), out);

    MDC.put("graph", "demo/pipeline");
    MDC.put("epoch", "7");
    log.info("Placed {} component(s)", 3);

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("logger").asText()).isEqualTo("com.petuum.rampart.hub.control.GraphReconciler");
    assertThat(line.path("message").asText()).isEqualTo("Placed 3 component(s)");
    assertThat(line.path("graph").asText()).isEqualTo("demo/pipeline");
    assertThat(line.path("cluster").asText()).isEqualTo("gpu-east");
    assertThat(line.path("epoch").asText()).isEqualTo("7");
    assertThat(line.path("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    assertThat(line.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.has("error")).isFalse();
  }

  @Test
  void jsonLineCarriesStackTrace() throws Exception {
    LogSetup.configure(LogFormat.JSON, "info", Map.of(), out);

    log.warn("Slice for {} failed", "gpu-east", new IllegalStateException("stream closed\nby peer"));

    JsonNode line = JSON.readTree(lines().get(0));
    assertThat(line.path("message").asText()).isEqualTo("Slice for gpu-east failed");
    assertThat(line.path("error").asText()).contains("java.lang.IllegalStateException: stream closed\nby peer")
        .contains("at com.petuum.rampart.common.logging.LogSetupTest");
  }

  @Test
  void jsonKeepsReservedNamesApart() throws Exception {
    LogSetup.configure(LogFormat.JSON, "info", Map.of(), out);

    MDC.put("message", "from the context");
    log.info("from the call");

    JsonNode line = JSON.readTree(lines().get(0));
    assertThat(line.path("message").asText()).isEqualTo("from the call");
    assertThat(line.path("mdc.message").asText()).isEqualTo("from the context");
  }

  @Test
  void textLineListsContextAsPairs() {
    LogSetup.configure(LogFormat.TEXT, "info", Map.of("cluster", "gpu-east"), out);

    MDC.put("zone", "us east");
    MDC.put("epoch", "7");
    MDC.put("graph", "demo/pipeline");
    log.info("Placed");

    String line = lines().get(0);
    assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\S+Z INFO  \\[.+] \\S+GraphReconciler .*");
    assertThat(line).endsWith(" graph=demo/pipeline cluster=gpu-east epoch=7 zone=\"us east\" - Placed");
  }

  @Test
  void textOmitsPairTheMessageHas() {
    LogSetup.configure(LogFormat.TEXT, "info", Map.of("cluster", "gpu-east"), out);

    MDC.put("graph", "demo/pipeline");
    MDC.put("epoch", "7");
    log.info("Sent a slice. graph={} cluster={} generation=3", "demo/pipeline", "gpu-east");
    log.info("Moved from cluster=gpu-eastern");

    assertThat(lines().get(0)).endsWith(" epoch=7 - Sent a slice. graph=demo/pipeline cluster=gpu-east generation=3");
    assertThat(lines().get(1))
        .endsWith(" graph=demo/pipeline cluster=gpu-east epoch=7 - Moved from cluster=gpu-eastern");
  }

  @Test
  void levelFiltersLines() {
    LogSetup.configure(LogFormat.TEXT, "WARN", Map.of(), out);

    log.info("hidden");
    log.warn("shown");

    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0)).endsWith(" - shown");
  }

  @Test
  void quietLibrariesStayAtWarn() {
    LogSetup.configure(LogFormat.TEXT, "info", Map.of(), out);

    LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").info("Socket connection established");
    LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").warn("Session expired");

    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0)).endsWith(" - Session expired");
  }

  @Test
  void debugLevelReachesLibraries() {
    LogSetup.configure(LogFormat.TEXT, "debug", Map.of(), out);

    LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").debug("Reading reply");

    assertThat(lines()).hasSize(1);
  }

  @Test
  void invalidLevelNamesValueAndChoices() {
    assertThatThrownBy(() -> LogSetup.configure(LogFormat.TEXT, "verbose", Map.of(), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log level \"verbose\" is not valid; use trace, debug, info, warn or error");
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
