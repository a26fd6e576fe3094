package com.petuum.rampart.agent.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local controller against a real member apiserver with KWOK nodes, the RampartGraph CRD
 * from {@code deploy/agent/crds}, and charts fetched from the test bed's chart repository.
 */
class LocalGraphControllerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("rampart.test.timeoutSeconds", 120));

  private static TestBed bed;
  private static KubeCluster member;
  private static LocalGraphController controller;
  private static final Map<GraphKey, JsonNode> acknowledgedSpecs = new ConcurrentHashMap<>();

  @TempDir
  static Path work;

  @BeforeAll
  static void start() throws Exception {
    Path root = Path.of(System.getProperty("rampart.repo.root", ".."));
    bed = TestBed.builder("local-graph-controller")
        .member("m1", KwokNode.named("gpu-0")
            .capacity(Map.of("cpu", "32", "memory", "128Gi", "pods", "110", "nvidia.com/gpu", "4")))
        .chartRepository(root.resolve("examples").resolve("charts"))
        .start();
    member = bed.cluster("m1");
    member.applyYaml(java.nio.file.Files.readString(root.resolve("deploy/agent/crds/rampartgraphs.yaml")));
    await().atMost(TIMEOUT).until(() -> member.kubectl("get", "rampartgraphs", "-A").exitCode() == 0);

    ApiClient client = Config.fromConfig(member.kubeconfig().toString());
    client.setReadTimeout(0);
    ControllerSettings settings = new ControllerSettings(
        Optional.empty(), "registry.example", 2, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMillis(500), work);
    controller = new LocalGraphController(client, Optional.of(member.kubeconfig()), settings,
        key -> Optional.ofNullable(acknowledgedSpecs.get(key)), Clock.systemUTC());
    controller.start();
  }

  @AfterAll
  static void stop() {
    try {
      if (controller != null) {
        controller.close();
      }
    } finally {
      if (bed != null) {
        bed.close();
      }
    }
  }

  @Test
  void deploysPipelineInNeedsOrder() throws Exception {
    createNamespace("order");
    List<String> violations = new CopyOnWriteArrayList<>();

    member.applyYaml(pipeline("order", "pipeline", 1, true));

    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      JsonNode components = graph("order", "pipeline").path("status").path("components");
      recordOrderViolations(components, violations);
      return "Deployed".equals(graph("order", "pipeline").path("status").path("phase").asText());
    });
    awaitPhase("order", "pipeline", "Deployed");
    JsonNode status = graph("order", "pipeline").path("status");
    assertThat(violations).isEmpty();
    for (String component : List.of("uploader", "executor", "serving")) {
      JsonNode entry = status.path("components").path(component);
      assertThat(entry.path("phase").asText()).as(component).isEqualTo("Deployed");
      assertThat(entry.path("namespace").asText()).as(component).isEqualTo("order-pipeline-" + component);
      assertThat(entry.path("observedGeneration").asLong()).as(component).isEqualTo(1);
      assertThat(podPhases("order-pipeline-" + component)).as(component).containsOnly("Running").isNotEmpty();
      assertThat(member.kubectl("get", "namespace", "order-pipeline-" + component,
          "-o", "jsonpath={.metadata.labels.controlled-by-rampart}").stdout()).isEqualTo("true");
    }
    assertThat(claimPhases("order-pipeline-uploader")).containsExactly("order-pipeline-raw=Bound");
    assertThat(claimPhases("order-pipeline-executor")).containsExactlyInAnyOrder("order-pipeline-raw=Bound", "order-pipeline-models=Bound");
    assertThat(claimPhases("order-pipeline-serving")).containsExactly("order-pipeline-models=Bound");
    assertThat(status.path("components").path("serving").path("endpoints").get(0).asText())
        .isEqualTo("serving.order-pipeline-serving.svc:80");
    assertThat(status.path("conditions").findValuesAsText("type")).contains("Ready");
    assertThat(member.kubectl("get", "configmap", "executor", "-n", "order-pipeline-executor",
        "-o", "jsonpath={.data.component\\.yaml}").stdout()).isEqualTo("name: \"executor\"\n");
    assertThat(member.kubectl("get", "secret", "-n", "order-pipeline-executor", "-l", "owner=helm,name=component",
        "-o", "jsonpath={.items[0].metadata.labels.status}").stdout()).isEqualTo("deployed");
    assertThat(member.kubectl("get", "deployment", "batch-executor", "-n", "order-pipeline-executor",
        "-o", "jsonpath={.spec.template.spec.containers[0].resources.requests.nvidia\\.com/gpu}").stdout()).isEqualTo("1");
    assertThat(graph("order", "pipeline").path("metadata").path("finalizers").toString()).contains("rampart.petuum.com/graph");
  }

  @Test
  void updateUpgradesOnlyChangedComponent() throws Exception {
    createNamespace("update");
    member.applyYaml(pipeline("update", "pipeline", 1, true));
    awaitPhase("update", "pipeline", "Deployed");

    member.applyYaml(pipeline("update", "pipeline", 2, true));

    await().atMost(TIMEOUT).until(() -> graph("update", "pipeline").path("status").path("observedGeneration").asLong() == 2
        && "Deployed".equals(graph("update", "pipeline").path("status").path("phase").asText())
        && "2".equals(member.kubectl("get", "deployment", "serving", "-n", "update-pipeline-serving",
            "-o", "jsonpath={.status.availableReplicas}").stdout()));
    assertThat(releaseRevisions("update-pipeline-uploader")).containsExactly("v1");
    assertThat(releaseRevisions("update-pipeline-executor")).containsExactly("v1");
    assertThat(releaseRevisions("update-pipeline-serving")).containsExactly("v1", "v2");
  }

  @Test
  void undeployKeepsGraph() throws Exception {
    createNamespace("undeploy");
    member.applyYaml(pipeline("undeploy", "pipeline", 1, true));
    awaitPhase("undeploy", "pipeline", "Deployed");

    member.applyYaml(pipeline("undeploy", "pipeline", 1, false));

    awaitPhase("undeploy", "pipeline", "Undeployed");
    assertThat(graphNamespaces("undeploy", "pipeline")).isEmpty();
    assertThat(graph("undeploy", "pipeline").path("status").path("components").size()).isZero();
    assertThat(graph("undeploy", "pipeline").path("metadata").path("finalizers").toString()).contains("rampart.petuum.com/graph");
  }

  @Test
  void deletionRemovesNamespacesAndFinalizer() throws Exception {
    createNamespace("delete");
    member.applyYaml(pipeline("delete", "pipeline", 1, true));
    awaitPhase("delete", "pipeline", "Deployed");

    KubectlResult deleted = member.kubectl("delete", "rampartgraph", "pipeline", "-n", "delete", "--wait=false");

    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
    await().atMost(TIMEOUT).until(() -> member.kubectl("get", "rampartgraph", "pipeline", "-n", "delete").exitCode() != 0);
    assertThat(graphNamespaces("delete", "pipeline")).isEmpty();
  }

  @Test
  void removedComponentIsUninstalled() throws Exception {
    createNamespace("shrink");
    member.applyYaml(pipeline("shrink", "pipeline", 1, true));
    awaitPhase("shrink", "pipeline", "Deployed");

    member.applyYaml(uploaderOnly("shrink", "pipeline"));

    await().atMost(TIMEOUT).until(() -> graphNamespaces("shrink", "pipeline").equals(List.of("shrink-pipeline-uploader")));
    awaitPhase("shrink", "pipeline", "Deployed");
    assertThat(graph("shrink", "pipeline").path("status").path("components").fieldNames()).toIterable()
        .containsExactly("uploader");
  }

  @Test
  void failedInstallReportsHelmMessage() throws Exception {
    createNamespace("broken");

    member.applyYaml(pipeline("broken", "pipeline", 1, true).replace("config: {gpus: 1}", "config: {gpus: 1, replicas: many}"));

    await().atMost(TIMEOUT).until(() -> "Failed".equals(
        graph("broken", "pipeline").path("status").path("components").path("executor").path("phase").asText()));
    JsonNode status = graph("broken", "pipeline").path("status");
    assertThat(status.path("components").path("executor").path("message").asText())
        .contains("values don't meet the specifications of the schema")
        .contains("replicas");
    assertThat(status.path("components").path("uploader").path("phase").asText()).isEqualTo("Deployed");
    assertThat(status.path("components").path("serving").path("phase").asText()).isEqualTo("Pending");
    assertThat(status.path("phase").asText()).isEqualTo("DeployedWithErrors");
    assertThat(status.path("reason").asText()).isEqualTo("GraphDeploymentError");
  }

  @Test
  void failedUpgradeSaysThePreviousReleaseKeepsRunning() throws Exception {
    createNamespace("keep");
    member.applyYaml(pipeline("keep", "pipeline", 1, true));
    awaitPhase("keep", "pipeline", "Deployed");

    member.applyYaml(pipeline("keep", "pipeline", 1, true)
        .replace("name: serving, version: 0.1.0", "name: serving, version: 9.9.9"));

    await().atMost(TIMEOUT).until(() -> "Failed".equals(
        graph("keep", "pipeline").path("status").path("components").path("serving").path("phase").asText()));
    String message = graph("keep", "pipeline").path("status").path("components").path("serving").path("message").asText();
    assertThat(message).contains("9.9.9").contains("; revision 1 (serving-0.1.0) keeps running");
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "keep-pipeline-serving",
        "-o", "jsonpath={.status.availableReplicas}").stdout()).isEqualTo("1");
    assertThat(releaseRevisions("keep-pipeline-serving")).containsExactly("v1");
  }

  @Test
  void invalidGraphIsReportedNotDeployed() throws Exception {
    createNamespace("invalid");

    member.applyYaml(pipeline("invalid", "pipeline", 1, true).replace("needs: [uploader]", "needs: [serving]"));

    awaitPhase("invalid", "pipeline", "Failed");
    JsonNode status = graph("invalid", "pipeline").path("status");
    assertThat(status.path("reason").asText()).isEqualTo("GraphValidationError");
    assertThat(status.path("messages").asText()).containsIgnoringCase("cycle");
    assertThat(graphNamespaces("invalid", "pipeline")).isEmpty();
  }

  @Test
  void localEditOfHubGraphIsReverted() throws Exception {
    createNamespace("hub");
    String hubGraph = pipeline("hub", "pipeline", 1, true)
        .replace("  namespace: hub\n", "  namespace: hub\n  labels: {rampart.petuum.com/owned-by: hub}\n");
    member.applyYaml(hubGraph);
    awaitPhase("hub", "pipeline", "Deployed");
    acknowledgedSpecs.put(new GraphKey("hub", "pipeline"), graph("hub", "pipeline").path("spec"));

    member.applyYaml(hubGraph.replace("config: {replicas: 1}", "config: {replicas: 3}"));

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(graph("hub", "pipeline")
        .path("spec").path("graph").path("components").path("serving").path("config").path("replicas").asInt())
        .isEqualTo(1));
    awaitPhase("hub", "pipeline", "Deployed");
    assertThat(member.kubectl("get", "deployment", "serving", "-n", "hub-pipeline-serving",
        "-o", "jsonpath={.spec.replicas}").stdout()).isEqualTo("1");
    assertThat(graph("hub", "pipeline").path("metadata").path("generation").asLong()).isEqualTo(3);
  }

  private static void recordOrderViolations(JsonNode components, List<String> violations) {
    String uploader = components.path("uploader").path("phase").asText();
    String executor = components.path("executor").path("phase").asText();
    String serving = components.path("serving").path("phase").asText();
    if (!executor.isEmpty() && !executor.equals("Pending") && !uploader.equals("Deployed")) {
      violations.add("executor " + executor + " while uploader " + uploader);
    }
    if (!serving.isEmpty() && !serving.equals("Pending") && !executor.equals("Deployed")) {
      violations.add("serving " + serving + " while executor " + executor);
    }
  }

  private static void awaitPhase(String namespace, String name, String phase) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      JsonNode status = graph(namespace, name).path("status");
      assertThat(status.path("phase").asText()).as("status %s", status).isEqualTo(phase);
    });
  }

  private static JsonNode graph(String namespace, String name) throws Exception {
    KubectlResult result = member.kubectl("get", "rampartgraph", name, "-n", namespace, "-o", "json");
    return result.exitCode() == 0 ? JSON.readTree(result.stdout()) : JSON.createObjectNode();
  }

  private static void createNamespace(String namespace) {
    member.kubectl("create", "namespace", namespace);
  }

  private static List<String> podPhases(String namespace) {
    return words(member.kubectl("get", "pods", "-n", namespace, "-o", "jsonpath={.items[*].status.phase}").stdout());
  }

  private static List<String> claimPhases(String namespace) {
    return words(member.kubectl("get", "pvc", "-n", namespace,
        "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}").stdout());
  }

  private static List<String> releaseRevisions(String namespace) {
    List<String> revisions = new ArrayList<>();
    for (String secret : words(member.kubectl("get", "secrets", "-n", namespace, "-l", "owner=helm,name=component",
        "-o", "jsonpath={.items[*].metadata.labels.version}").stdout())) {
      revisions.add("v" + secret);
    }
    revisions.sort(null);
    return revisions;
  }

  private static List<String> graphNamespaces(String namespace, String name) {
    return words(member.kubectl("get", "namespaces",
        "-l", "rampart.petuum.com/graph-namespace=" + namespace + ",rampart.petuum.com/graph-name=" + name,
        "-o", "jsonpath={.items[*].metadata.name}").stdout());
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }

  private static String pipeline(String namespace, String name, int servingReplicas, boolean deploy) {
    String repo = bed.chartRepositoryUrl();
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata:
          name: %s
          namespace: %s
        spec:
          deploy: %s
          graph:
            components:
              uploader:
                chart: {repo: %s, name: uploader, version: 0.1.0}
                config: {}
                inputs: {}
                outputs:
                  raw: {type: volume, flow: raw}
              executor:
                chart: {repo: %s, name: batch-executor, version: 0.6.1}
                config: {gpus: 1}
                inputs:
                  raw: {type: volume, flow: raw, config: {mountPath: /data}}
                outputs:
                  model: {type: volume, flow: models}
                needs: [uploader]
              serving:
                chart: {repo: %s, name: serving, version: 0.1.0}
                config: {replicas: %d}
                inputs:
                  model: {type: volume, flow: models}
                outputs: {}
                needs: [executor]
            flows:
              raw: {type: volume, config: {size: 1Gi}}
              models: {type: volume, config: {size: 2Gi}}
        """.formatted(name, namespace, deploy, repo, repo, repo, servingReplicas);
  }

  private static String uploaderOnly(String namespace, String name) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata:
          name: %s
          namespace: %s
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
            flows:
              raw: {type: volume, config: {size: 1Gi}}
        """.formatted(name, namespace, bed.chartRepositoryUrl());
  }
}
