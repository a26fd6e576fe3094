package com.petuum.rampart.e2e.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.petuum.rampart.admission.server.WebhookRegistrar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lints and renders the hub and agent charts with the Helm library, without a cluster. */
class ChartRenderTest {

  @Test
  void hubChartLintsStrict() {
    LintResult result = new Helm(Charts.hubChart()).lint().strict().call();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
  }

  @Test
  void agentChartLintsWithRequiredValues(@TempDir Path folder) throws IOException {
    // Helm's lint takes no --set, so it runs on a copy whose values.yaml has the required fields.
    Path chart = copyChart(Charts.agentChart(), folder.resolve("rampart-agent"));
    String values = Files.readString(chart.resolve("values.yaml"))
        .replace("hub: {}", "hub: {address: \"hub.example:7443\", caHash: \"" + Charts.CA_HASH + "\"}")
        .replace("token: \"\"", "token: \"" + Charts.TOKEN + "\"")
        + "clusterName: gpu-east\n";
    Files.writeString(chart.resolve("values.yaml"), values);

    LintResult result = new Helm(chart).lint().strict().call();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
  }

  @Test
  void hubRendersThreeSpreadReplicas() {
    List<JsonNode> documents = Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub", Map.of()));

    JsonNode deployment = Charts.find(documents, "Deployment", "rampart-hub").orElseThrow();
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("affinity").path("podAntiAffinity").has("preferredDuringSchedulingIgnoredDuringExecution")).isTrue();
    List<String> args = texts(pod.path("containers").get(0).path("args"));
    assertThat(args).contains(
        "--namespace=rampart-system",
        "--webhook-service=rampart-system/rampart-webhook:443",
        "--advertise-address=rampart-hub.rampart-system.svc:7443",
        "--metrics-port=9090");
    assertThat(args).anyMatch(arg -> arg.startsWith("--zookeeper=rampart-hub-zookeeper-0.rampart-hub-zookeeper"));
    assertThat(pod.path("containers").get(0).path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(Charts.find(documents, "StatefulSet", "rampart-hub-zookeeper")).isPresent();
    assertThat(Charts.find(documents, "PodDisruptionBudget", "rampart-hub")).isPresent();
    assertThat(Charts.find(documents, "Service", "rampart-webhook")).isPresent();
    assertThat(Charts.find(documents, "Service", "rampart-hub").orElseThrow().path("spec").path("type").asText())
        .isEqualTo("LoadBalancer");
  }

  @Test
  void hubUsesGivenZooKeeperInstead() {
    List<JsonNode> documents = Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub",
        Map.of("zookeeper.connect", "zk-0.zk:2181")));

    JsonNode container = Charts.find(documents, "Deployment", "rampart-hub").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(texts(container.path("args"))).contains("--zookeeper=zk-0.zk:2181");
    assertThat(Charts.find(documents, "StatefulSet", "rampart-hub-zookeeper")).isEmpty();
  }

  @Test
  void hubDashboardUsesPublishedMetrics() throws IOException {
    List<JsonNode> documents = Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub",
        Map.of("metrics.dashboard.enabled", "true")));
    JsonNode configMap = documents.stream()
        .filter(d -> "ConfigMap".equals(d.path("kind").asText()) && d.path("metadata").path("name").asText().endsWith("-dashboard"))
        .findFirst().orElseThrow();
    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(configMap.path("data").path("rampart-federation.json").asText());
    java.util.Set<String> used = new java.util.TreeSet<>();
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("rampart_[a-z_]+").matcher(dashboard.toString());
    while (names.find()) {
      used.add(names.group().replaceAll("_(bucket|total)$", ""));
    }
    // Every series the dashboard plots is one the hub or the agent publishes, by its Prometheus name.
    assertThat(used).isSubsetOf(
        "rampart_leader", "rampart_leader_epoch", "rampart_connected_agents", "rampart_scheduling_duration_seconds",
        "rampart_dispatch_latency_seconds", "rampart_reconcile_queue_depth", "rampart_unschedulable_graphs",
        "rampart_acknowledgements_outstanding", "rampart_agent_heartbeat_age_seconds", "rampart_reconcile_errors",
        "rampart_fenced_writes", "rampart_helm_operations", "rampart_agent_connected");
    assertThat(used).hasSizeGreaterThanOrEqualTo(12);
    assertThat(Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub", Map.of())))
        .noneMatch(d -> d.path("metadata").path("name").asText().endsWith("-dashboard"));
  }

  @Test
  void hubRejectsReplicasWithoutZooKeeper() {
    Map<String, Object> values = Map.of("zookeeper.install", false, "replicaCount", 3);

    assertThatThrownBy(() -> Charts.render(Charts.hubChart(), "rampart-hub", values))
        .hasMessageContaining("replicaCount is 3 but no ZooKeeper is configured")
        .hasMessageContaining("zookeeper.connect");
  }

  @Test
  void hubRendersOneReplicaWithoutZooKeeper() {
    List<JsonNode> documents = Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub",
        Map.of("zookeeper.install", false, "replicaCount", 1)));

    JsonNode container = Charts.find(documents, "Deployment", "rampart-hub").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(texts(container.path("args"))).noneMatch(arg -> arg.startsWith("--zookeeper"));
  }

  @Test
  void chartsPassLoggingValues() {
    JsonNode hub = Charts.find(Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub",
        Map.of("logging.format", "json", "logging.level", "debug"))), "Deployment", "rampart-hub").orElseThrow();
    Map<String, Object> agentValues = new java.util.HashMap<String, Object>(Charts.agentValues("m1", "hub.example:7443", Charts.CA_HASH));
    agentValues.put("logging.format", "json");
    JsonNode agent = Charts.find(Charts.documents(Charts.render(Charts.agentChart(), "rampart-agent", agentValues)),
        "Deployment", "rampart-agent").orElseThrow();

    assertThat(texts(hub.path("spec").path("template").path("spec").path("containers").get(0).path("args")))
        .contains("--log-format=json", "--log-level=debug");
    assertThat(texts(agent.path("spec").path("template").path("spec").path("containers").get(0).path("args")))
        .contains("--log-format=json", "--log-level=info");
  }

  @Test
  void schemaRejectsUnknownLogFormat() {
    assertThatThrownBy(() -> Charts.render(Charts.hubChart(), "rampart-hub", Map.of("logging.format", "logfmt")))
        .hasMessageContaining("/logging/format")
        .hasMessageContaining("'text', 'json'");
  }

  @Test
  void hubSchemaRejectsUnknownServiceType() {
    assertThatThrownBy(() -> Charts.render(Charts.hubChart(), "rampart-hub", Map.of("agentEndpoint.service.type", "Ingress")))
        .hasMessageContaining("agentEndpoint/service/type");
  }

  @Test
  void webhooksMatchAdmissionTemplates() throws IOException {
    List<JsonNode> hub = Charts.documents(Charts.render(Charts.hubChart(), "rampart-hub", Map.of()));
    List<JsonNode> agent = Charts.documents(Charts.render(Charts.agentChart(), "rampart-agent",
        Charts.agentValues("gpu-east", "hub.example:7443", Charts.CA_HASH)));
    JsonNode validating = admissionTemplate(WebhookRegistrar.VALIDATING_TEMPLATE);
    JsonNode mutating = admissionTemplate(WebhookRegistrar.MUTATING_TEMPLATE);

    // The processes re-apply these templates with force, so a chart that differs would flip-flop.
    assertSameWebhooks(Charts.find(hub, "ValidatingWebhookConfiguration", "rampart-validation").orElseThrow(), validating);
    assertSameWebhooks(Charts.find(agent, "ValidatingWebhookConfiguration", "rampart-validation").orElseThrow(), validating);
    assertSameWebhooks(Charts.find(agent, "MutatingWebhookConfiguration", "rampart-pod-wiring").orElseThrow(), mutating);
  }

  @Test
  void agentRendersJoinSettings() {
    List<JsonNode> documents = Charts.documents(Charts.render(Charts.agentChart(), "rampart-agent",
        Charts.agentValues("gpu-east", "hub.example:7443", Charts.CA_HASH)));

    JsonNode deployment = Charts.find(documents, "Deployment", "rampart-agent").orElseThrow();
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    List<String> args = texts(deployment.path("spec").path("template").path("spec").path("containers").get(0).path("args"));
    assertThat(args).contains(
        "--cluster-name=gpu-east",
        "--hub-address=hub.example:7443",
        "--ca-hash=" + Charts.CA_HASH,
        "--token-file=/var/run/rampart/join/token",
        "--webhook-service=rampart-system/rampart-webhook:443");
    JsonNode secret = Charts.find(documents, "Secret", "rampart-agent-join").orElseThrow();
    assertThat(secret.path("stringData").path("token").asText()).isEqualTo(Charts.TOKEN);
  }

  @Test
  void agentUsesExistingTokenSecret() {
    Map<String, String> values = new HashMap<>(Charts.agentValues("gpu-east", "hub.example:7443", Charts.CA_HASH));
    values.remove("join.token");
    values.put("join.existingSecret", "gpu-east-join");

    List<JsonNode> documents = Charts.documents(Charts.render(Charts.agentChart(), "rampart-agent", values));

    assertThat(documents).noneMatch(d -> "Secret".equals(d.path("kind").asText()));
    JsonNode volumes = Charts.find(documents, "Deployment", "rampart-agent").orElseThrow()
        .path("spec").path("template").path("spec").path("volumes");
    assertThat(volumes.toString()).contains("\"secretName\":\"gpu-east-join\"");
  }

  @Test
  void agentRejectsMissingHubAddress() {
    Map<String, String> values = new HashMap<>(Charts.agentValues("gpu-east", "hub.example:7443", Charts.CA_HASH));
    values.remove("hub.address");

    assertThatThrownBy(() -> Charts.render(Charts.agentChart(), "rampart-agent", values))
        .hasMessageContaining("/hub")
        .hasMessageContaining("address");
  }

  @Test
  void agentRejectsMissingToken() {
    Map<String, String> values = new HashMap<>(Charts.agentValues("gpu-east", "hub.example:7443", Charts.CA_HASH));
    values.remove("join.token");

    assertThatThrownBy(() -> Charts.render(Charts.agentChart(), "rampart-agent", values))
        .hasMessageContaining("join.token is missing");
  }

  @Test
  void agentRejectsMalformedCaHash() {
    Map<String, String> values = new HashMap<>(Charts.agentValues("gpu-east", "hub.example:7443", "sha1:abc"));

    assertThatThrownBy(() -> Charts.render(Charts.agentChart(), "rampart-agent", values))
        .hasMessageContaining("/hub/caHash");
  }

  private static void assertSameWebhooks(JsonNode rendered, JsonNode template) {
    assertThat(rendered.path("webhooks").size()).isEqualTo(template.path("webhooks").size());
    for (int i = 0; i < template.path("webhooks").size(); i++) {
      JsonNode expected = template.path("webhooks").get(i).deepCopy();
      JsonNode actual = rendered.path("webhooks").get(i).deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("clientConfig");
      ((com.fasterxml.jackson.databind.node.ObjectNode) actual).remove("clientConfig");
      assertThat(actual).as("webhook %s", expected.path("name").asText()).isEqualTo(expected);
      assertThat(rendered.path("webhooks").get(i).path("clientConfig").path("service").path("path").asText())
          .isEqualTo(template.path("webhooks").get(i).path("clientConfig").path("service").path("path").asText());
    }
  }

  private static JsonNode admissionTemplate(String name) throws IOException {
    try (InputStream in = WebhookRegistrar.class.getResourceAsStream(name)) {
      return Charts.readYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static List<String> texts(JsonNode array) {
    return Stream.of(array).flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
        .map(JsonNode::asText).toList();
  }

  private static Path copyChart(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path destination = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination);
        }
      }
    }
    return target;
  }
}
