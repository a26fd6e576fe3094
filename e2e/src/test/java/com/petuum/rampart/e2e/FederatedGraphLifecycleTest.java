package com.petuum.rampart.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The federated graph lifecycle on a whole local federation started with {@code rampartctl local
 * up}: a hub cluster, three members with different node shapes, ZooKeeper, the hub and an agent
 * per member as processes, and the example charts served over HTTP. Graphs are applied to the
 * hub with kubectl and checked on the hub and on every member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederatedGraphLifecycleTest {

  private static final List<String> MEMBERS = List.of("gpu-east", "gpu-west", "cpu-onprem");
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);

  private Path home;
  private int chartPort;
  private Kubectl kubectl;

  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("RAMPART_HOME", home.toString());
    environment.put("RAMPART_TESTBED_BIN", System.getProperty("rampart.testbed.bin", ""));
    return environment;
  }

  @BeforeAll
  void startFederation() throws Exception {
    home = Files.createTempDirectory("rampart-lifecycle");
    try (ServerSocket socket = new ServerSocket(0)) {
      chartPort = socket.getLocalPort();
    }
    CliProcess.Result up = CliProcess.run(environment(), 600, "local", "up", "--chart-port", Integer.toString(chartPort));
    assertThat(up.exitCode()).as(up.stderr()).isZero();
    kubectl = new Kubectl(home.resolve("local/kubeconfig"));
  }

  @AfterAll
  void stopFederation() {
    if (home != null) {
      CliProcess.run(environment(), 120, "local", "down");
    }
  }

  @Test
  void pipelineRunsOnOneMemberAndReportsReady() {
    createNamespace("pipeline-a");
    kubectl.apply("hub", pipeline("pipeline-a", "pipeline", 1));

    waitReady("pipeline-a", "pipeline");

    String cluster = hubField("pipeline-a", "pipeline", "{.status.components.executor.cluster}");
    // The executor needs a GPU, and volume flows keep the three components together.
    assertThat(cluster).isIn("gpu-east", "gpu-west");
    for (String component : List.of("uploader", "executor", "serving")) {
      assertThat(hubField("pipeline-a", "pipeline", "{.status.components." + component + ".cluster}")).isEqualTo(cluster);
      assertThat(hubField("pipeline-a", "pipeline", "{.status.components." + component + ".phase}")).isEqualTo("Deployed");
      assertThat(podPhases(cluster, "pipeline-a-pipeline-" + component)).containsOnly("Running");
    }
    assertThat(hubField("pipeline-a", "pipeline", "{.status.phase}")).isEqualTo("Deployed");
    assertThat(hubField("pipeline-a", "pipeline", "{.status.summary.ready}")).isEqualTo("3/3");
    assertThat(hubField("pipeline-a", "pipeline", "{.status.placement.generation}")).isEqualTo("1");
    assertThat(hubField("pipeline-a", "pipeline", "{.status.flows.raw.backing}")).isEqualTo("volume");
    for (String other : MEMBERS) {
      if (!other.equals(cluster)) {
        assertThat(localGraphs(other)).doesNotContain("pipeline-a/pipeline");
      }
    }
    assertThat(kubectl.ok("--context", "hub", "get", "events", "-n", "pipeline-a",
        "--field-selector", "involvedObject.name=pipeline,reason=Scheduled", "-o", "jsonpath={.items[*].message}"))
        .contains("executor, serving, uploader on " + cluster);
  }

  @Test
  void graphThatFitsNowhereIsUnschedulableWithReasons() {
    createNamespace("giant");
    kubectl.apply("hub", """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: giant, namespace: giant}
        spec:
          graph:
            components:
              trainer:
                chart: {repo: "%s", name: batch-executor, version: 0.6.1}
                config: {gpus: 16}
                inputs: {}
                outputs: {}
                resources: [{count: 1, requests: {cpu: "8", memory: 64Gi, nvidia.com/gpu: "16"}}]
            flows: {}
        """.formatted(repo()));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(hubField("giant", "giant", "{.status.phase}")).isEqualTo("Unschedulable"));
    assertThat(hubField("giant", "giant", "{.status.conditions[?(@.type==\"Scheduled\")].status}")).isEqualTo("False");
    assertThat(hubField("giant", "giant", "{.status.conditions[?(@.type==\"Scheduled\")].message}"))
        .contains("16 nvidia.com/gpu on one node", "largest free: 8");
    assertThat(kubectl.ok("--context", "hub", "get", "events", "-n", "giant",
        "--field-selector", "involvedObject.name=giant,reason=FailedScheduling", "-o", "name")).isNotBlank();
    for (String member : MEMBERS) {
      assertThat(localGraphs(member)).doesNotContain("giant/giant");
    }
  }

  @Test
  void updateUpgradesOnlyTheChangedComponent() {
    createNamespace("update");
    kubectl.apply("hub", pipeline("update", "pipeline", 1));
    waitReady("update", "pipeline");
    String cluster = hubField("update", "pipeline", "{.status.components.serving.cluster}");

    kubectl.apply("hub", pipeline("update", "pipeline", 2));

    await().atMost(DEPLOY_TIMEOUT).untilAsserted(() -> {
      assertThat(hubField("update", "pipeline", "{.status.observedGeneration}")).isEqualTo("2");
      assertThat(hubField("update", "pipeline", "{.status.components.serving.observedGeneration}")).isEqualTo("2");
      assertThat(hubField("update", "pipeline", "{.status.phase}")).isEqualTo("Deployed");
    });
    waitReady("update", "pipeline");
    assertThat(hubField("update", "pipeline", "{.status.components.serving.cluster}")).isEqualTo(cluster);
    assertThat(releaseRevision(cluster, "update-pipeline-serving")).isEqualTo(2);
    assertThat(releaseRevision(cluster, "update-pipeline-uploader")).isEqualTo(1);
    assertThat(releaseRevision(cluster, "update-pipeline-executor")).isEqualTo(1);
    await().atMost(DEPLOY_TIMEOUT).untilAsserted(() ->
        assertThat(podPhases(cluster, "update-pipeline-serving")).containsExactly("Running", "Running"));
  }

  @Test
  void invalidUpdateLeavesGraphRunning() {
    createNamespace("invalid");
    kubectl.apply("hub", pipeline("invalid", "pipeline", 1));
    waitReady("invalid", "pipeline");
    String cluster = hubField("invalid", "pipeline", "{.status.components.uploader.cluster}");

    Kubectl.Result rejected = kubectl.run(pipeline("invalid", "pipeline", 1).replace("flow: models}\n        outputs: {}",
        "flow: nowhere}\n        outputs: {}"), "--context", "hub", "apply", "-f", "-");

    assertThat(rejected.exitCode()).isNotZero();
    assertThat(rejected.stderr()).contains("spec.graph.components.serving.inputs.model", "nowhere");
    assertThat(hubField("invalid", "pipeline", "{.metadata.generation}")).isEqualTo("1");
    assertThat(hubField("invalid", "pipeline", "{.status.phase}")).isEqualTo("Deployed");
    assertThat(podPhases(cluster, "invalid-pipeline-serving")).containsOnly("Running");
  }

  @Test
  void undeployRemovesEverythingAndRedeployRestoresIt() {
    createNamespace("undeploy");
    kubectl.apply("hub", pipeline("undeploy", "pipeline", 1));
    waitReady("undeploy", "pipeline");

    kubectl.ok("--context", "hub", "patch", "rampartgraph", "pipeline", "-n", "undeploy", "--type", "merge",
        "-p", "{\"spec\":{\"deploy\":false}}");

    await().atMost(DEPLOY_TIMEOUT).untilAsserted(() -> {
      assertThat(hubField("undeploy", "pipeline", "{.status.phase}")).isEqualTo("Undeployed");
      for (String member : MEMBERS) {
        assertThat(localGraphs(member)).doesNotContain("undeploy/pipeline");
        assertThat(componentNamespaces(member, "undeploy")).isEmpty();
      }
    });
    assertThat(hubField("undeploy", "pipeline", "{.metadata.name}")).isEqualTo("pipeline");

    kubectl.ok("--context", "hub", "patch", "rampartgraph", "pipeline", "-n", "undeploy", "--type", "merge",
        "-p", "{\"spec\":{\"deploy\":true}}");
    waitReady("undeploy", "pipeline");
    assertThat(hubField("undeploy", "pipeline", "{.status.phase}")).isEqualTo("Deployed");
  }

  @Test
  void deleteRemovesTheGraphFromEveryMember() {
    createNamespace("delete");
    kubectl.apply("hub", pipeline("delete", "pipeline", 1));
    waitReady("delete", "pipeline");
    String cluster = hubField("delete", "pipeline", "{.status.components.uploader.cluster}");
    assertThat(localGraphs(cluster)).contains("delete/pipeline");

    kubectl.ok("--context", "hub", "delete", "rampartgraph", "pipeline", "-n", "delete", "--timeout=120s");

    await().atMost(DEPLOY_TIMEOUT).untilAsserted(() -> {
      for (String member : MEMBERS) {
        assertThat(localGraphs(member)).doesNotContain("delete/pipeline");
        assertThat(componentNamespaces(member, "delete")).isEmpty();
      }
    });
    assertThat(kubectl.run(null, "--context", "hub", "get", "rampartgraph", "pipeline", "-n", "delete").stderr())
        .contains("NotFound");
  }

  @Test
  void crossClusterNeedStartsAfterDeployment() {
    createNamespace("split");
    kubectl.apply("hub", """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: train-serve, namespace: split}
        spec:
          graph:
            components:
              training:
                chart: {repo: "%1$s", name: batch-executor, version: 0.6.1}
                config: {gpus: 1}
                inputs: {}
                outputs:
                  model: {type: repository, flow: models}
                resources: [{count: 1, requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}}]
                placement: {clusterAffinity: {clusterNames: [gpu-east]}}
              serving:
                chart: {repo: "%1$s", name: serving, version: 0.1.0}
                config: {replicas: 1}
                needs: [training]
                inputs:
                  model: {type: repository, flow: models}
                outputs: {}
                resources: [{count: 1, requests: {cpu: 500m, memory: 1Gi}}]
                placement: {clusterAffinity: {clusterNames: [cpu-onprem]}}
            flows:
              models: {type: repository, config: {kind: git, size: 1Gi, remote: "https://git.example/models.git"}}
        """.formatted(repo()));

    waitReady("split", "train-serve");

    assertThat(hubField("split", "train-serve", "{.status.components.training.cluster}")).isEqualTo("gpu-east");
    assertThat(hubField("split", "train-serve", "{.status.components.serving.cluster}")).isEqualTo("cpu-onprem");
    assertThat(hubField("split", "train-serve", "{.status.flows.models.backing}")).isEqualTo("remote");
    assertThat(hubField("split", "train-serve", "{.status.summary.clusters}")).isEqualTo("cpu-onprem,gpu-east");
    assertThat(podPhases("gpu-east", "split-train-serve-training")).containsOnly("Running");
    assertThat(podPhases("cpu-onprem", "split-train-serve-serving")).containsOnly("Running");
    // The serving slice went to cpu-onprem only after the hub saw training deployed on gpu-east.
    Instant trainingDeployed = Instant.parse(hubField("split", "train-serve", "{.status.components.training.observedAt}"));
    Instant servingSent = Instant.parse(kubectl.ok("--context", "cpu-onprem", "get", "rampartgraph", "train-serve",
        "-n", "split", "-o", "jsonpath={.metadata.annotations.rampart\\.petuum\\.com/slice-applied-at}"));
    assertThat(servingSent).isAfterOrEqualTo(trainingDeployed);
    assertThat(kubectl.ok("--context", "gpu-east", "get", "rampartgraph", "train-serve", "-n", "split",
        "-o", "jsonpath={.spec.graph.components}")).contains("training").doesNotContain("serving");
  }

  @Test
  void graphAppliedToAMemberDeploysThereOnly() {
    kubectl.ok("--context", "cpu-onprem", "create", "namespace", "local-only");
    kubectl.apply("cpu-onprem", """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: direct, namespace: local-only}
        spec:
          graph:
            components:
              web:
                chart: {repo: "%s", name: serving, version: 0.1.0}
                config: {replicas: 1}
                inputs: {}
                outputs: {}
            flows: {}
        """.formatted(repo()));

    assertThat(kubectl.run(null, "--context", "cpu-onprem", "wait", "--for=condition=Ready", "rampartgraph/direct",
        "-n", "local-only", "--timeout=180s").exitCode()).isZero();
    assertThat(podPhases("cpu-onprem", "local-only-direct-web")).containsOnly("Running");
    assertThat(kubectl.ok("--context", "cpu-onprem", "get", "rampartgraph", "direct", "-n", "local-only",
        "-o", "jsonpath={.metadata.labels}")).doesNotContain("owned-by");
    assertThat(kubectl.ok("--context", "hub", "get", "rampartgraphs", "-A", "-o", "name")).doesNotContain("direct");
  }

  private String repo() {
    return "http://127.0.0.1:" + chartPort + "/charts";
  }

  private String pipeline(String namespace, String name, int servingReplicas) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata:
          name: %2$s
          namespace: %1$s
        spec:
          graph:
            components:
              uploader:
                chart: {repo: "%3$s", name: uploader, version: 0.1.0}
                config: {}
                inputs: {}
                outputs:
                  raw: {type: volume, flow: raw}
                resources: [{count: 1, requests: {cpu: 500m, memory: 1Gi}}]
              executor:
                chart: {repo: "%3$s", name: batch-executor, version: 0.6.1}
                config: {gpus: 1}
                needs: [uploader]
                inputs:
                  raw: {type: volume, flow: raw, config: {mountPath: /data}}
                outputs:
                  model: {type: volume, flow: models}
                resources: [{count: 1, requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}}]
              serving:
                chart: {repo: "%3$s", name: serving, version: 0.1.0}
                config: {replicas: %4$d}
                needs: [executor]
                inputs:
                  model: {type: volume, flow: models}
                outputs: {}
            flows:
              raw: {type: volume, config: {size: 1Gi}}
              models: {type: volume, config: {size: 2Gi}}
        """.formatted(namespace, name, repo(), servingReplicas);
  }

  private void createNamespace(String namespace) {
    kubectl.ok("--context", "hub", "create", "namespace", namespace);
  }

  private void waitReady(String namespace, String name) {
    Kubectl.Result result = kubectl.run(null, "--context", "hub", "wait", "--for=condition=Ready",
        "rampartgraph/" + name, "-n", namespace, "--timeout=" + DEPLOY_TIMEOUT.toSeconds() + "s");
    assertThat(result.exitCode())
        .as("kubectl wait for %s/%s: %s%nstatus: %s", namespace, name, result.stderr(),
            kubectl.run(null, "--context", "hub", "get", "rampartgraph", name, "-n", namespace, "-o",
                "jsonpath={.status}").stdout())
        .isZero();
  }

  private String hubField(String namespace, String name, String jsonPath) {
    return kubectl.ok("--context", "hub", "get", "rampartgraph", name, "-n", namespace, "-o", "jsonpath=" + jsonPath);
  }

  private List<String> podPhases(String cluster, String namespace) {
    return words(kubectl.ok("--context", cluster, "get", "pods", "-n", namespace, "-o",
        "jsonpath={.items[*].status.phase}"));
  }

  private List<String> localGraphs(String cluster) {
    return words(kubectl.ok("--context", cluster, "get", "rampartgraphs", "-A", "-o",
        "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}"));
  }

  private List<String> componentNamespaces(String cluster, String graphNamespace) {
    return words(kubectl.ok("--context", cluster, "get", "namespaces",
        "-l", "rampart.petuum.com/graph-namespace=" + graphNamespace, "-o", "jsonpath={.items[*].metadata.name}"));
  }

  private int releaseRevision(String cluster, String namespace) {
    return words(kubectl.ok("--context", cluster, "get", "secrets", "-n", namespace, "-l", "owner=helm,name=component",
        "-o", "jsonpath={.items[*].metadata.labels.version}")).stream()
        .mapToInt(Integer::parseInt).max().orElse(0);
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }
}
