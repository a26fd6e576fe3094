package com.petuum.rampart.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import com.petuum.rampart.admission.server.AdmissionServer;
import com.petuum.rampart.agent.controller.ControllerSettings;
import com.petuum.rampart.agent.controller.LocalGraphController;
import com.petuum.rampart.agent.slice.LocalGraphWriter;
import com.petuum.rampart.agent.status.StatusReporter;
import com.petuum.rampart.agent.webhook.AgentWebhooks;
import com.petuum.rampart.admission.server.WebhookSettings;
import com.petuum.rampart.proto.v1.ComponentStatus;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.proto.v1.WorkStatus;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's handling of hub-owned graphs on a real member apiserver, wired as
 * {@link AgentProcesses} wires it: the webhook server, the slice writer, the local graph
 * controller that reverts with the writer's applied specs, and the status reporter. The hub end is
 * a recording sender that can act disconnected, because the hub module depends on the agent and
 * cannot be a dependency of the agent's tests.
 */
class HubOwnedGraphTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("rampart.test.timeoutSeconds", 120));

  private static TestBed bed;
  private static KubeCluster member;
  private static AdmissionServer webhooks;
  private static LocalGraphWriter writer;
  private static LocalGraphController controller;
  private static StatusReporter reporter;
  private static final List<WorkStatus> sent = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean connected = new AtomicBoolean(true);

  @TempDir
  static Path work;

  @BeforeAll
  static void start() throws Exception {
    Path root = Path.of(System.getProperty("rampart.repo.root", ".."));
    bed = TestBed.builder("hub-owned-graphs")
        .member("m1", KwokNode.named("gpu-0")
            .capacity(Map.of("cpu", "32", "memory", "128Gi", "pods", "110", "nvidia.com/gpu", "4")))
        .chartRepository(root.resolve("examples").resolve("charts"))
        .start();
    member = bed.cluster("m1");
    member.applyYaml(Files.readString(root.resolve("deploy/agent/crds/rampartgraphs.yaml")));
    await().atMost(TIMEOUT).until(() -> member.kubectl("get", "rampartgraphs", "-A").exitCode() == 0);

    ApiClient client = Config.fromConfig(member.kubeconfig().toString());
    client.setReadTimeout(0);
    int port = Ports.free();
    webhooks = AgentWebhooks.start(client, WebhookSettings.fromOptions(port, "127.0.0.1", null, null)).orElseThrow();
    writer = new LocalGraphWriter(client, Clock.systemUTC());
    ControllerSettings settings = new ControllerSettings(
        Optional.empty(), "registry.example", 2, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMillis(500), work);
    controller = new LocalGraphController(client, Optional.of(member.kubeconfig()), settings, writer.appliedSpecs(),
        Clock.systemUTC());
    controller.start();
    reporter = new StatusReporter(client, status -> connected.get() && sent.add(status),
        StatusReporter.DEFAULT_POLL_INTERVAL, StatusReporter.DEFAULT_MIN_SEND_INTERVAL, Clock.systemUTC());
    reporter.start();
  }

  @AfterAll
  static void stop() {
    try {
      if (reporter != null) {
        reporter.close();
      }
      if (controller != null) {
        controller.close();
      }
      if (webhooks != null) {
        webhooks.close();
      }
    } finally {
      if (bed != null) {
        bed.close();
      }
    }
  }

  @Test
  void deployedSliceIsReportedWithHubGeneration() throws Exception {
    Instant before = Instant.now();

    writer.apply(key("uid-report", "report"), 5, slice("report", 1, ""));

    WorkStatus deployed = awaitReport("uid-report", "Deployed");
    assertThat(deployed.getGeneration()).isEqualTo(5);
    assertThat(deployed.getKey().getGraphNamespace()).isEqualTo("report");
    assertThat(deployed.getKey().getGraphName()).isEqualTo("pipeline");
    assertThat(deployed.getComponentsList()).extracting(ComponentStatus::getName)
        .containsExactlyInAnyOrder("uploader", "serving");
    ComponentStatus serving = component(deployed, "serving");
    assertThat(serving.getNamespace()).isEqualTo("report-pipeline-serving");
    assertThat(serving.getPhase()).isEqualTo("Deployed");
    assertThat(serving.getEndpointsList()).containsExactly("serving.report-pipeline-serving.svc:80");
    List<WorkStatus> reports = reportsOf("uid-report");
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)).as("report %s repeats the one before", i).isNotEqualTo(reports.get(i - 1));
    }
    Instant appliedAt = Instant.parse(graph("report", "pipeline").path("metadata").path("annotations")
        .path(LocalGraphWriter.SLICE_APPLIED_AT_ANNOTATION).asText());
    assertThat(appliedAt).isBetween(before, Instant.now());
  }

  @Test
  void everyGraphIsReportedAgainAfterResend() throws Exception {
    writer.apply(key("uid-resend", "resend"), 1, slice("resend", 1, ""));
    awaitReport("uid-resend", "Deployed");
    int before = reportsOf("uid-resend").size();

    reporter.resendAll();

    await().atMost(TIMEOUT).until(() -> reportsOf("uid-resend").size() == before + 1);
    List<WorkStatus> reports = reportsOf("uid-resend");
    assertThat(reports.get(before)).isEqualTo(reports.get(before - 1));
  }

  @Test
  void reportWaitsWhileDisconnected() throws Exception {
    connected.set(false);
    try {
      writer.apply(key("uid-offline", "offline"), 2, slice("offline", 1, ""));
      awaitLocalPhase("offline", "Deployed");

      assertThat(reportsOf("uid-offline")).isEmpty();
    } finally {
      connected.set(true);
    }

    WorkStatus deployed = awaitReport("uid-offline", "Deployed");
    assertThat(deployed.getGeneration()).isEqualTo(2);
  }

  @Test
  void helmFailureIsReportedWithHelmMessage() throws Exception {
    writer.apply(key("uid-broken", "broken"), 3, slice("broken", 1, "replicas: many"));

    WorkStatus failed = await().atMost(TIMEOUT).until(() -> latestReport("uid-broken"),
        report -> report.isPresent() && report.get().getPhase().equals("DeployedWithErrors")).orElseThrow();

    assertThat(failed.getMessage()).contains("values don't meet the specifications of the schema");
    ComponentStatus serving = component(failed, "serving");
    assertThat(serving.getPhase()).isEqualTo("Failed");
    assertThat(serving.getMessage()).contains("values don't meet the specifications of the schema").contains("replicas");
  }

  @Test
  void localSpecEditIsReverted() throws Exception {
    writer.apply(key("uid-revert", "revert"), 1, slice("revert", 1, ""));
    awaitLocalPhase("revert", "Deployed");
    long generation = graph("revert", "pipeline").path("metadata").path("generation").asLong();

    KubectlResult patched = member.kubectl("patch", "rampartgraph", "pipeline", "-n", "revert", "--type=merge",
        "-p", "{\"spec\":{\"graph\":{\"components\":{\"serving\":{\"config\":{\"replicas\":3}}}}}}");

    assertThat(patched.exitCode()).as(patched.stderr()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(graph("revert", "pipeline").path("metadata").path("generation").asLong()).isEqualTo(generation + 2));
    assertThat(graph("revert", "pipeline").path("spec").path("graph").path("components").path("serving")
        .path("config").path("replicas").asInt()).isEqualTo(1);
    awaitLocalPhase("revert", "Deployed");
    assertThat(releaseRevisions("revert-pipeline-serving")).containsExactly("1");
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "revert-pipeline-serving",
        "-o", "jsonpath={.spec.replicas}").stdout()).isEqualTo("1");
  }

  @Test
  void podInComponentNamespaceIsWired() throws Exception {
    writer.apply(key("uid-wired", "wired"), 1, slice("wired", 1, ""));
    awaitLocalPhase("wired", "Deployed");
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: wired-pipeline-uploader}\n"
        + "spec:\n  containers:\n  - {name: main, image: example.invalid/probe:1}\n";

    KubectlResult created = member.kubectlWithInput(pod, "apply", "-f", "-");

    assertThat(created.exitCode()).as(created.stderr()).isZero();
    JsonNode stored = JSON.readTree(member.kubectl("get", "pod", "probe", "-n", "wired-pipeline-uploader", "-o", "json")
        .stdout());
    JsonNode main = stored.path("spec").path("containers").get(0);
    assertThat(main.path("volumeMounts").findValuesAsText("mountPath")).contains("/raw", "/.RAMPART");
    assertThat(main.path("env").findValuesAsText("name")).contains("RAMPART_OUTPUT_raw");
    assertThat(stored.path("spec").path("volumes").findValuesAsText("claimName")).contains("wired-pipeline-raw");
  }

  private static ComponentStatus component(WorkStatus report, String name) {
    return report.getComponentsList().stream()
        .filter(component -> component.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no component " + name + " in " + report));
  }

  private static WorkKey key(String uid, String namespace) {
    return WorkKey.newBuilder().setGraphUid(uid).setGraphNamespace(namespace).setGraphName("pipeline").build();
  }

  /** Returns a two-component slice as JSON: uploader, then serving, joined by a volume flow. */
  private static ByteString slice(String namespace, int servingReplicas, String extraServingConfig) throws Exception {
    String repo = bed.chartRepositoryUrl();
    String servingConfig = extraServingConfig.isEmpty()
        ? "{replicas: " + servingReplicas + "}"
        : "{" + extraServingConfig + "}";
    String yaml = """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata:
          name: pipeline
          namespace: %s
          uid: hub-side
        spec:
          deploy: true
          graph:
            components:
              uploader:
                chart: {repo: %s, name: uploader, version: 0.1.0}
                config: {}
                inputs: {}
                outputs:
                  raw: {type: volume, flow: raw}
              serving:
                chart: {repo: %s, name: serving, version: 0.1.0}
                config: %s
                inputs:
                  raw: {type: volume, flow: raw}
                outputs: {}
                needs: [uploader]
            flows:
              raw: {type: volume, config: {size: 1Gi}}
        """.formatted(namespace, repo, repo, servingConfig);
    return ByteString.copyFrom(JSON.writeValueAsBytes(YAML.readTree(yaml)));
  }

  private static WorkStatus awaitReport(String uid, String phase) {
    return await().atMost(TIMEOUT).until(() -> latestReport(uid),
        report -> report.isPresent() && report.get().getPhase().equals(phase)).orElseThrow();
  }

  private static Optional<WorkStatus> latestReport(String uid) {
    List<WorkStatus> reports = reportsOf(uid);
    return reports.isEmpty() ? Optional.empty() : Optional.of(reports.get(reports.size() - 1));
  }

  private static List<WorkStatus> reportsOf(String uid) {
    List<WorkStatus> reports = new ArrayList<>();
    for (WorkStatus report : sent) {
      if (report.getKey().getGraphUid().equals(uid)) {
        reports.add(report);
      }
    }
    return reports;
  }

  private static void awaitLocalPhase(String namespace, String phase) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      JsonNode status = graph(namespace, "pipeline").path("status");
      assertThat(status.path("phase").asText()).as("status %s", status).isEqualTo(phase);
    });
  }

  private static JsonNode graph(String namespace, String name) throws Exception {
    KubectlResult result = member.kubectl("get", "rampartgraph", name, "-n", namespace, "-o", "json");
    return result.exitCode() == 0 ? JSON.readTree(result.stdout()) : JSON.createObjectNode();
  }

  private static List<String> releaseRevisions(String namespace) {
    String text = member.kubectl("get", "secrets", "-n", namespace, "-l", "owner=helm,name=component",
        "-o", "jsonpath={.items[*].metadata.labels.version}").stdout();
    return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }
}
