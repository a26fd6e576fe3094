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
import java.util.Base64;
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

      // Install both charts as an operator would; the hub without ZooKeeper, as one replica.
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

      Path hubConfig = serviceAccountKubeconfig(bed, hub, "rampart-hub");
      Path agentConfig = serviceAccountKubeconfig(bed, member, "rampart-agent");
      KubectlResult rejected = kubectlAs(hubConfig, "get", "secrets", "-n", "kube-system");
      assertThat(rejected.exitCode()).isNotZero();
      assertThat(rejected.stderr()).contains("Forbidden").contains(HUB_ACCOUNT);

      // The hub starts with its chart's rights: it stores its CA and patches the webhooks. It names
      // the chart's webhook Service as a pod would, because the chart's configuration owns
      // clientConfig.service and the apiserver rejects a second manager's url beside it.
      int port = Ports.free();
      int webhookPort = Ports.free();
      int hubMetricsPort = Ports.free();
      String hubAddress = "127.0.0.1:" + port;
      ManagedProcess hubProcess = bed.startProcess("rampart-hub", List.of(
          java(), "-Xmx384m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.hub.HubMain",
          "--kubeconfig", hubConfig.toString(),
          "--namespace", Charts.NAMESPACE,
          "--listen-host", "127.0.0.1",
          "--port", Integer.toString(port),
          "--advertise-address", hubAddress,
          "--webhook-host", "127.0.0.1",
          "--webhook-port", Integer.toString(webhookPort),
          "--metrics-port", Integer.toString(hubMetricsPort),
          "--webhook-service", WEBHOOK_SERVICE), Map.of());
      await("the hub's CA Secret").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && hub.kubectl("get", "secret", "-n", Charts.NAMESPACE, "rampart-hub-ca").succeeded());
      await("the hub's validating webhook CA").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && !hub.kubectl("get", "validatingwebhookconfiguration", "rampart-validation",
              "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().isBlank());

      // An operator creates a join token; the agent joins with its chart's rights on the member.
      JsonNode token = createToken(hub, hubAddress);
      Path tokenFile = bed.writeFile("join-token", token.path("token").asText());
      int agentWebhookPort = Ports.free();
      ManagedProcess agentProcess = bed.startProcess("rampart-agent", List.of(
          java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.agent.AgentMain",
          "--kubeconfig", agentConfig.toString(),
          "--cluster-name", "m1",
          "--hub-address", hubAddress,
          "--ca-hash", token.path("caHash").asText(),
          "--token-file", tokenFile.toString(),
          "--namespace", Charts.NAMESPACE,
          "--work-folder", bed.directory().resolve("agent-work").toString(),
          "--webhook-host", "127.0.0.1",
          "--webhook-port", Integer.toString(agentWebhookPort),
          "--metrics-port", Integer.toString(Ports.free()),
          "--webhook-service", WEBHOOK_SERVICE), Map.of());
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

  private static KwokNode node() {
    return KwokNode.named("node-0").capacity(Map.of("cpu", "8", "memory", "32Gi", "pods", "110"));
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
    KubectlResult established = cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
        "-f", chart.resolve("crds").toString());
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

  /** Writes a kubeconfig that authenticates with a fresh token of the ServiceAccount. */
  private static Path serviceAccountKubeconfig(TestBed bed, KubeCluster cluster, String account) {
    KubectlResult token = cluster.kubectl("create", "token", account, "-n", Charts.NAMESPACE, "--duration=1h");
    assertThat(token.exitCode()).as(token.stderr()).isZero();
    String ca = Base64.getEncoder().encodeToString(cluster.caCertificatePem().getBytes(StandardCharsets.US_ASCII));
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
          - name: %1$s
            cluster: {server: "%2$s", certificate-authority-data: %3$s}
        users:
          - name: %4$s
            user: {token: "%5$s"}
        contexts:
          - name: %4$s@%1$s
            context: {cluster: %1$s, user: %4$s}
        current-context: %4$s@%1$s
        """.formatted(cluster.name(), cluster.serverUrl(), ca, account, token.stdout().trim());
    return bed.writeFile(account + "-" + cluster.name() + ".kubeconfig", kubeconfig);
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
