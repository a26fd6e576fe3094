package com.petuum.rampart.e2e.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.petuum.rampart.cli.RampartCtl;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Installs both charts into test-bed clusters and runs the hub and an agent as processes with
 * the credentials of the charts' ServiceAccounts, to show that the charts' RBAC is enough for
 * them and refuses what they do not need.
 */
class ChartInstallTest {

  private static final String HUB_ACCOUNT = "system:serviceaccount:rampart-system:rampart-hub";
  private static final String AGENT_ACCOUNT = "system:serviceaccount:rampart-system:rampart-agent";
  private static final String WEBHOOK_SERVICE = Charts.NAMESPACE + "/rampart-webhook:443";
  private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
  /** Chart repository URL in the example graphs, which the test replaces with the test bed's. */
  private static final String EXAMPLE_REPOSITORY = "http://127.0.0.1:8879/charts";
  private static final List<String> PIPELINE_COMPONENTS = List.of("uploader", "executor", "serving");
  /** Verbs that Helm 3 uses on a release's objects and release Secrets to install, upgrade and uninstall it. */
  private static final List<String> RELEASE_VERBS = List.of("get", "list", "create", "update", "patch", "delete");

  @Test
  void chartsPassServerDryRun() {
    try (TestBed bed = TestBed.builder("chart-dry-run").hub("hub").member("m1", node()).start()) {
      KubeCluster hub = bed.cluster("hub");
      KubeCluster member = bed.cluster("m1");
      createNamespace(hub);
      createNamespace(member);
      // Server-side dry runs of custom resources need their CRDs, which Helm installs from crds/.
      installCrds(hub, Charts.hubChart());
      installCrds(member, Charts.agentChart());

      String hubManifest = Charts.render(Charts.hubChart(), "rampart-hub", Map.of());
      String agentManifest = Charts.render(Charts.agentChart(), "rampart-agent",
          Charts.agentValues("m1", "hub.example:7443", Charts.CA_HASH));

      KubectlResult hubResult = hub.kubectlWithInput(hubManifest, "apply", "--dry-run=server", "-f", "-");
      assertThat(hubResult.exitCode()).as("hub chart: %s", hubResult.stderr()).isZero();
      assertThat(hubResult.stdout()).contains("deployment.apps/rampart-hub created (server dry run)");
      KubectlResult agentResult = member.kubectlWithInput(agentManifest, "apply", "--dry-run=server", "-f", "-");
      assertThat(agentResult.exitCode()).as("agent chart: %s", agentResult.stderr()).isZero();
      assertThat(agentResult.stdout()).contains("deployment.apps/rampart-agent created (server dry run)");
    }
  }

  @Test
  void processesRunWithChartRbacOnly() throws Exception {
    try (TestBed bed = TestBed.builder("chart-rbac").hub("hub").member("m1", node()).start()) {
      KubeCluster hub = bed.cluster("hub");
      KubeCluster member = bed.cluster("m1");

      installCharts(hub, member);

      // What each account may and may not do, as the apiserver's authorizer decides it.
      assertCan(hub, HUB_ACCOUNT, true, "update", "rampartgraphs.rampart.petuum.com", "-A");
      assertCan(hub, HUB_ACCOUNT, true, "patch", "memberclusters.rampart.petuum.com/status");
      assertCan(hub, HUB_ACCOUNT, true, "create", "secrets", "-n", Charts.NAMESPACE);
      assertCan(hub, HUB_ACCOUNT, true, "patch", "validatingwebhookconfigurations/rampart-validation");
      assertCan(hub, HUB_ACCOUNT, false, "get", "secrets", "-n", "kube-system");
      assertCan(hub, HUB_ACCOUNT, false, "delete", "memberclusters.rampart.petuum.com");
      assertCan(hub, HUB_ACCOUNT, false, "create", "rampartgraphs.rampart.petuum.com", "-n", "default");
      assertCan(hub, HUB_ACCOUNT, false, "create", "pods", "-n", Charts.NAMESPACE);
      assertCan(hub, HUB_ACCOUNT, false, "patch", "validatingwebhookconfigurations/other-webhook");
      assertCan(hub, HUB_ACCOUNT, false, "patch", "customresourcedefinitions/memberclusters.rampart.petuum.com");
      assertCan(hub, HUB_ACCOUNT, false, "create", "clusterrolebindings");
      assertCan(member, AGENT_ACCOUNT, true, "create", "namespaces");
      assertCan(member, AGENT_ACCOUNT, true, "create", "deployments.apps", "-n", "any-component");
      assertCan(member, AGENT_ACCOUNT, true, "list", "nodes");
      assertCan(member, AGENT_ACCOUNT, true, "patch", "mutatingwebhookconfigurations/rampart-pod-wiring");
      assertCan(member, AGENT_ACCOUNT, false, "delete", "nodes");
      assertCan(member, AGENT_ACCOUNT, false, "create", "pods", "-n", "kube-system");
      assertCan(member, AGENT_ACCOUNT, false, "create", "clusterroles");
      assertCan(member, AGENT_ACCOUNT, false, "patch", "mutatingwebhookconfigurations/other-webhook");
      assertCan(member, AGENT_ACCOUNT, false, "create", "pods/exec", "-n", "any-component");

      Path hubConfig = hub.writeServiceAccountKubeconfig(Charts.NAMESPACE, "rampart-hub");
      Path agentConfig = member.writeServiceAccountKubeconfig(Charts.NAMESPACE, "rampart-agent");
      KubectlResult rejected = kubectlAs(hubConfig, "get", "secrets", "-n", "kube-system");
      assertThat(rejected.exitCode()).isNotZero();
      assertThat(rejected.stderr()).contains("Forbidden").contains(HUB_ACCOUNT);

      // The hub starts with its chart's rights: it stores its CA and patches the webhooks. It names
      // the chart's webhook Service as a pod would, because the chart's configuration owns
      // clientConfig.service and the apiserver rejects a second manager's url beside it.
      int port = Ports.free();
      int hubMetricsPort = Ports.free();
      String hubAddress = "127.0.0.1:" + port;
      ManagedProcess hubProcess = startHub(bed, hubConfig, port, Ports.free(), hubMetricsPort,
          List.of("--webhook-service", WEBHOOK_SERVICE));
      await("the hub's CA Secret").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && hub.kubectl("get", "secret", "-n", Charts.NAMESPACE, "rampart-hub-ca").succeeded());
      await("the hub's validating webhook CA").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && !hub.kubectl("get", "validatingwebhookconfiguration", "rampart-validation",
              "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().isBlank());

      // An operator creates a join token; the agent joins with its chart's rights on the member.
      JsonNode token = createToken(hub, hubAddress);
      Path tokenFile = bed.writeFile("join-token", token.path("token").asText());
      ManagedProcess agentProcess = startAgent(bed, agentConfig, hubAddress, token, tokenFile, Ports.free(),
          List.of("--webhook-service", WEBHOOK_SERVICE));
      await("member cluster m1 Ready on the hub").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && alive(agentProcess) && memberReady(hub, "m1"));

      assertThat(member.kubectl("get", "mutatingwebhookconfiguration", "rampart-pod-wiring",
          "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout()).isNotBlank();
      assertThat(hubProcess.logTail(200)).doesNotContain("Forbidden");
      // The probe and metrics endpoints that the chart uses work with the chart's rights too.
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + hubMetricsPort + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("rampart_leader 1.0", "rampart_connected_agents 1.0");
      assertThat(agentProcess.logTail(200)).doesNotContain("Forbidden");
    }
  }

  @Test
  void graphLifecycleWithChartRbacOnly() throws Exception {
    try (TestBed bed = TestBed.builder("chart-rbac-graph").hub("hub").member("m1", gpuNode())
        .chartRepository(Charts.repositoryRoot().resolve("examples/charts")).start()) {
      KubeCluster hub = bed.cluster("hub");
      KubeCluster member = bed.cluster("m1");
      installCharts(hub, member);

      // The chart's default rbac.releaseRules let the agent install, upgrade and uninstall every
      // kind the example charts render, and Helm's release Secrets.
      Path exampleCharts = Charts.repositoryRoot().resolve("examples/charts");
      for (String chart : List.of("uploader", "batch-executor", "serving")) {
        String manifest = Charts.render(exampleCharts.resolve(chart), "component", Map.of());
        for (JsonNode document : Charts.documents(manifest)) {
          for (String verb : RELEASE_VERBS) {
            assertCan(member, AGENT_ACCOUNT, true, verb, resourceOf(document), "-n", "any-component");
          }
        }
      }
      for (String verb : RELEASE_VERBS) {
        assertCan(member, AGENT_ACCOUNT, true, verb, "secrets", "-n", "any-component");
      }

      // The test bed's apiservers have no Service network, so they cannot call a webhook through
      // the charts' rampart-webhook Service. So the test, as the cluster admin, points the charts'
      // webhook configurations at URLs on 127.0.0.1. The processes then register those URLs and
      // their CA with their own rights, as they do with --webhook-url outside a cluster.
      int hubWebhookPort = Ports.free();
      int agentWebhookPort = Ports.free();
      pointWebhookAt(hub, "validatingwebhookconfiguration", "rampart-validation",
          "https://127.0.0.1:" + hubWebhookPort + "/validate");
      pointWebhookAt(member, "validatingwebhookconfiguration", "rampart-validation",
          "https://127.0.0.1:" + agentWebhookPort + "/validate");
      pointWebhookAt(member, "mutatingwebhookconfiguration", "rampart-pod-wiring",
          "https://127.0.0.1:" + agentWebhookPort + "/mutate/pod");

      Path hubConfig = hub.writeServiceAccountKubeconfig(Charts.NAMESPACE, "rampart-hub");
      Path agentConfig = member.writeServiceAccountKubeconfig(Charts.NAMESPACE, "rampart-agent");
      int port = Ports.free();
      String hubAddress = "127.0.0.1:" + port;
      long hubLogStart = logLength(bed, "rampart-hub");
      ManagedProcess hubProcess = startHub(bed, hubConfig, port, hubWebhookPort, Ports.free(), List.of());
      await("the hub's CA Secret").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && hub.kubectl("get", "secret", "-n", Charts.NAMESPACE, "rampart-hub-ca").succeeded());
      // Until the hub registers its serving CA, the hub apiserver rejects every graph write.
      await("the hub's validating webhook CA").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && !hub.kubectl("get", "validatingwebhookconfiguration", "rampart-validation",
              "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().isBlank());
      JsonNode token = createToken(hub, hubAddress);
      Path tokenFile = bed.writeFile("join-token", token.path("token").asText());
      long agentLogStart = logLength(bed, "rampart-agent");
      ManagedProcess agentProcess = startAgent(bed, agentConfig, hubAddress, token, tokenFile, agentWebhookPort, List.of());
      await("member cluster m1 Ready on the hub").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && alive(agentProcess) && memberReady(hub, "m1"));

      // Deploy: the pipeline example has three components in a needs chain and two volume flows.
      String graph = Files.readString(Charts.repositoryRoot().resolve("examples/graphs/federated/pipeline.yaml"))
          .replace(EXAMPLE_REPOSITORY, bed.chartRepositoryUrl());
      assertThat(hub.kubectl("create", "namespace", "demo").succeeded()).isTrue();
      KubectlResult applied = hub.kubectlWithInput(graph, "apply", "-f", "-");
      assertThat(applied.exitCode()).as("kubectl apply of the pipeline on the hub: %s", applied.stderr()).isZero();

      await("the pipeline Deployed on m1").atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            checkRunningWithinRbac(hubProcess, hubLogStart);
            checkRunningWithinRbac(agentProcess, agentLogStart);
            assertThat(hubField(hub, "{.status.phase}")).isEqualTo("Deployed");
            assertThat(hubField(hub, "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
          });
      for (String component : PIPELINE_COMPONENTS) {
        String namespace = "demo-pipeline-" + component;
        assertThat(hubField(hub, "{.status.components." + component + ".cluster}")).isEqualTo("m1");
        assertThat(hubField(hub, "{.status.components." + component + ".phase}")).isEqualTo("Deployed");
        assertThat(member.kubectl("get", "namespace", namespace, "-o", "jsonpath={.metadata.labels.controlled-by-rampart}")
            .stdout()).isEqualTo("true");
        assertThat(releaseLabels(member, namespace, "status")).containsExactly("deployed");
        assertThat(words(member.kubectl("get", "pods", "-n", namespace, "-o", "jsonpath={.items[*].status.phase}").stdout()))
            .containsExactly("Running");
        // The pod-wiring webhook mounted the component's ConfigMap at /.RAMPART.
        assertThat(words(member.kubectl("get", "pods", "-n", namespace,
            "-o", "jsonpath={.items[*].spec.volumes[*].configMap.name}").stdout())).contains(component);
      }
      assertThat(hubField(hub, "{.metadata.finalizers}")).contains("rampart.petuum.com/hub");
      assertThat(member.kubectl("get", "rampartgraph", "pipeline", "-n", "demo", "-o", "jsonpath={.metadata.finalizers}")
          .stdout()).contains("rampart.petuum.com/graph");

      // Volume flows: a bound claim in each namespace that uses the flow, mounted into its pods.
      Map<String, String> claims = Map.of(
          "demo-pipeline-uploader", "demo-pipeline-raw",
          "demo-pipeline-executor", "demo-pipeline-raw demo-pipeline-results",
          "demo-pipeline-serving", "demo-pipeline-results");
      claims.forEach((namespace, names) -> {
        for (String claim : words(names)) {
          assertThat(member.kubectl("get", "pvc", claim, "-n", namespace, "-o", "jsonpath={.status.phase}").stdout())
              .as("claim %s in %s", claim, namespace).isEqualTo("Bound");
        }
        assertThat(words(member.kubectl("get", "pods", "-n", namespace,
            "-o", "jsonpath={.items[*].spec.volumes[*].persistentVolumeClaim.claimName}").stdout()))
            .as("claims mounted into the pods of %s", namespace).containsExactlyInAnyOrderElementsOf(words(names));
      });

      // Update: two serving replicas upgrade the serving release only.
      KubectlResult patched = hub.kubectl("patch", "rampartgraph", "pipeline", "-n", "demo", "--type", "merge", "-p",
          "{\"spec\":{\"graph\":{\"components\":{\"serving\":{\"config\":{\"replicas\":2},"
              + "\"resources\":[{\"count\":2,\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}]}}}}}");
      assertThat(patched.exitCode()).as("kubectl patch of the pipeline on the hub: %s", patched.stderr()).isZero();
      await("the updated pipeline Deployed on m1").atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            checkRunningWithinRbac(hubProcess, hubLogStart);
            checkRunningWithinRbac(agentProcess, agentLogStart);
            assertThat(hubField(hub, "{.status.observedGeneration}")).isEqualTo("2");
            assertThat(hubField(hub, "{.status.components.serving.observedGeneration}")).isEqualTo("2");
            assertThat(hubField(hub, "{.status.phase}")).isEqualTo("Deployed");
            assertThat(words(member.kubectl("get", "pods", "-n", "demo-pipeline-serving",
                "-o", "jsonpath={.items[*].status.phase}").stdout())).containsExactly("Running", "Running");
          });
      assertThat(releaseLabels(member, "demo-pipeline-serving", "version")).contains("2");
      assertThat(releaseLabels(member, "demo-pipeline-uploader", "version")).containsExactly("1");

      // Delete: the agent uninstalls the releases and deletes the namespaces. Then the agent and
      // the hub remove their finalizers, so the member's and the hub's graphs disappear.
      KubectlResult deleted = hub.kubectl("delete", "rampartgraph", "pipeline", "-n", "demo", "--wait=false");
      assertThat(deleted.exitCode()).as("kubectl delete of the pipeline on the hub: %s", deleted.stderr()).isZero();
      await("the pipeline removed from m1 and the hub").atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            checkRunningWithinRbac(hubProcess, hubLogStart);
            checkRunningWithinRbac(agentProcess, agentLogStart);
            assertThat(hub.kubectl("get", "rampartgraph", "pipeline", "-n", "demo").stderr()).contains("NotFound");
            assertThat(member.kubectl("get", "rampartgraph", "pipeline", "-n", "demo").stderr()).contains("NotFound");
            assertThat(member.kubectl("get", "namespaces", "-l", "rampart.petuum.com/graph-namespace=demo",
                "-o", "name").stdout()).isBlank();
          });
      assertThat(member.kubectl("get", "secrets", "-A", "-l", "owner=helm,name=component", "-o", "name").stdout())
          .isBlank();

      assertThat(readLogSince(agentProcess, agentLogStart)).doesNotContain("Forbidden");
      assertThat(readLogSince(hubProcess, hubLogStart)).doesNotContain("Forbidden");

      // After Helm operations the agent still stops on SIGTERM, as Kubernetes stops a pod, and
      // runs its shutdown: Helm's Go runtime takes the signal over unless the agent takes it back.
      ProcessHandle agentHandle = ProcessHandle.of(agentProcess.pid()).orElseThrow();
      assertThat(agentHandle.destroy()).isTrue();
      await("the agent to exit on SIGTERM").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
          .until(() -> !agentHandle.isAlive());
      assertThat(readLogSince(agentProcess, agentLogStart)).contains("Agent stopped.");
    }
  }

  /** Installs both charts as an operator would: the hub without ZooKeeper, as one replica. */
  private static void installCharts(KubeCluster hub, KubeCluster member) {
    Release hubRelease = new Helm(Charts.hubChart()).install()
        .withName("rampart-hub").withNamespace(Charts.NAMESPACE).createNamespace()
        .withKubeConfig(hub.kubeconfig())
        .set("replicaCount", 1).set("zookeeper.install", false)
        .call();
    assertThat(hubRelease.getStatus()).isEqualTo("deployed");
    Release agentRelease = new Helm(Charts.agentChart()).install()
        .withName("rampart-agent").withNamespace(Charts.NAMESPACE).createNamespace()
        .withKubeConfig(member.kubeconfig())
        .set("clusterName", "m1").set("hub.address", "127.0.0.1:7443").set("hub.caHash", Charts.CA_HASH)
        .set("join.token", Charts.TOKEN)
        .call();
    assertThat(agentRelease.getStatus()).isEqualTo("deployed");
    assertThat(hub.kubectl("get", "crd", "memberclusters.rampart.petuum.com").succeeded()).isTrue();
    assertThat(member.kubectl("get", "crd", "rampartgraphs.rampart.petuum.com").succeeded()).isTrue();
  }

  /**
   * Starts the hub as a process.
   *
   * @param webhookEndpoint {@code --webhook-service} or {@code --webhook-url} with its value, or
   *     empty to register the server's own https://127.0.0.1:{@code webhookPort}
   */
  private static ManagedProcess startHub(
      TestBed bed, Path kubeconfig, int port, int webhookPort, int metricsPort, List<String> webhookEndpoint) {
    List<String> command = new ArrayList<>(List.of(
        java(), "-Xmx384m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.hub.HubMain",
        "--kubeconfig", kubeconfig.toString(),
        "--namespace", Charts.NAMESPACE,
        "--listen-host", "127.0.0.1",
        "--port", Integer.toString(port),
        "--advertise-address", "127.0.0.1:" + port,
        "--webhook-host", "127.0.0.1",
        "--webhook-port", Integer.toString(webhookPort),
        "--metrics-port", Integer.toString(metricsPort)));
    command.addAll(webhookEndpoint);
    return bed.startProcess("rampart-hub", command, Map.of());
  }

  /**
   * Starts an agent for member m1 as a process.
   *
   * @param webhookEndpoint as for {@link #startHub}
   */
  private static ManagedProcess startAgent(TestBed bed, Path kubeconfig, String hubAddress, JsonNode token,
      Path tokenFile, int webhookPort, List<String> webhookEndpoint) {
    List<String> command = new ArrayList<>(List.of(
        java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.agent.AgentMain",
        "--kubeconfig", kubeconfig.toString(),
        "--cluster-name", "m1",
        "--hub-address", hubAddress,
        "--ca-hash", token.path("caHash").asText(),
        "--token-file", tokenFile.toString(),
        "--namespace", Charts.NAMESPACE,
        "--work-folder", bed.directory().resolve("agent-work").toString(),
        "--webhook-host", "127.0.0.1",
        "--webhook-port", Integer.toString(webhookPort),
        "--metrics-port", Integer.toString(Ports.free())));
    command.addAll(webhookEndpoint);
    return bed.startProcess("rampart-agent", command, Map.of());
  }

  private static KwokNode node() {
    return KwokNode.named("node-0").capacity(Map.of("cpu", "8", "memory", "32Gi", "pods", "110"));
  }

  private static KwokNode gpuNode() {
    return KwokNode.named("gpu-0").capacity(Map.of("cpu", "16", "memory", "64Gi", "pods", "110", "nvidia.com/gpu", "2"));
  }

  /** Returns the resource of a rendered object in the form kubectl auth can-i takes, such as deployment.apps. */
  private static String resourceOf(JsonNode document) {
    String apiVersion = document.path("apiVersion").asText();
    String kind = document.path("kind").asText().toLowerCase(java.util.Locale.ROOT);
    return apiVersion.contains("/") ? kind + "." + apiVersion.substring(0, apiVersion.indexOf('/')) : kind;
  }

  /** Replaces the first webhook's clientConfig.service with {@code url}, as the cluster admin. */
  private static void pointWebhookAt(KubeCluster cluster, String resource, String name, String url) {
    String patch = "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig\",\"value\":{\"url\":\"" + url + "\"}}]";
    KubectlResult result = cluster.kubectl("patch", resource, name, "--type=json", "-p", patch);
    assertThat(result.exitCode()).as("kubectl patch %s %s: %s", resource, name, result.stderr()).isZero();
  }

  private static String hubField(KubeCluster hub, String jsonPath) {
    return hub.kubectl("get", "rampartgraph", "pipeline", "-n", "demo", "-o", "jsonpath=" + jsonPath).stdout().trim();
  }

  /** Returns one label of each Helm release Secret of the release named component in the namespace. */
  private static List<String> releaseLabels(KubeCluster member, String namespace, String label) {
    return words(member.kubectl("get", "secrets", "-n", namespace, "-l", "owner=helm,name=component",
        "-o", "jsonpath={.items[*].metadata.labels." + label + "}").stdout());
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }

  /**
   * Throws when the process has exited or has logged a Forbidden response from an apiserver since
   * {@code logStart}, so that a wait fails at once with the missing right instead of at its timeout.
   */
  private static void checkRunningWithinRbac(ManagedProcess process, long logStart) throws IOException {
    alive(process);
    readLogSince(process, logStart).lines().filter(line -> line.contains("Forbidden")).findFirst().ifPresent(line -> {
      throw new IllegalStateException(process.name() + " received a Forbidden response, so its chart's RBAC lacks a "
          + "right it needs (deploy/*/templates/rbac.yaml): " + line);
    });
  }

  /**
   * Returns the length in bytes of the log file that {@link TestBed#startProcess} gives the process
   * {@code name}. Processes append to that file, so it still contains the lines of earlier runs in
   * the same target folder.
   */
  private static long logLength(TestBed bed, String name) throws IOException {
    Path log = bed.directory().resolve("logs").resolve(name + ".log");
    return Files.exists(log) ? Files.size(log) : 0;
  }

  private static String readLogSince(ManagedProcess process, long logStart) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(process.logFile())) {
      in.skipNBytes(logStart);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean alive(ManagedProcess process) {
    if (!process.isAlive()) {
      throw new IllegalStateException(process.name() + " exited. Last lines of " + process.logFile() + ":\n"
          + process.logTail(40));
    }
    return true;
  }

  private static void createNamespace(KubeCluster cluster) {
    cluster.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + Charts.NAMESPACE + "}\n");
  }

  private static void installCrds(KubeCluster cluster, Path chart) {
    KubectlResult applied = cluster.kubectl("apply", "--server-side", "-f", chart.resolve("crds").toString());
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    KubectlResult established = cluster.awaitEstablished(chart.resolve("crds"), Duration.ofSeconds(60));
    assertThat(established.exitCode()).as(established.stderr()).isZero();
  }

  private static void assertCan(KubeCluster cluster, String account, boolean expected, String... request) {
    List<String> arguments = new ArrayList<>(List.of("auth", "can-i"));
    arguments.addAll(List.of(request));
    arguments.add("--as=" + account);
    KubectlResult result = cluster.kubectl(arguments.toArray(String[]::new));
    assertThat(result.stdout().trim())
        .as("kubectl auth can-i %s as %s on %s", String.join(" ", request), account, cluster.name())
        .isEqualTo(expected ? "yes" : "no");
  }


  private static KubectlResult kubectlAs(Path kubeconfig, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("kubectl " + String.join(" ", arguments) + " timed out after 60 s");
      }
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      return new KubectlResult(process.exitValue(), stdout, stderr);
    } finally {
      process.destroyForcibly();
    }
  }

  private static JsonNode createToken(KubeCluster hub, String hubAddress) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute("cluster", "token", "create", "--cluster", "m1", "--ttl", "10m",
        "--hub-address", hubAddress, "--kubeconfig", hub.kubeconfig().toString(), "-o", "json");
    assertThat(exit).as("rampartctl cluster token create: %s", err).isZero();
    return new ObjectMapper().readTree(out.toString());
  }

  private static boolean memberReady(KubeCluster hub, String cluster) {
    KubectlResult result = hub.kubectl("get", "membercluster", cluster,
        "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    return result.succeeded() && result.stdout().trim().equals("True");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
