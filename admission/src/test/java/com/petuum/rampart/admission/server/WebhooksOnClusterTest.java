package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.conversion.GraphConverter;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.testing.Yaml;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.util.Config;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the webhooks against real apiservers: a hub with all three CRDs, and a member with a GPU
 * node and the RampartGraph CRD. Each cluster gets its own server on 127.0.0.1, started and
 * registered by {@link AdmissionServers} as the hub and the agent start theirs, and the test drives
 * them with kubectl.
 */
class WebhooksOnClusterTest {

  private static final Path ROOT = Yaml.repositoryRoot();
  private static final Duration WEBHOOK_READY = Duration.ofSeconds(60);

  private static TestBed bed;
  private static KubeCluster hub;
  private static KubeCluster member;
  private static AdmissionServer hubServer;
  private static AdmissionServer memberServer;

  @BeforeAll
  static void startClustersAndServers() throws Exception {
    bed = TestBed.builder("admission-webhooks")
        .hub("hub")
        .member("member", KwokNode.named("gpu-0").capacity(Map.of("cpu", "16", "memory", "64Gi", "nvidia.com/gpu", "4")))
        .start();
    hub = bed.cluster("hub");
    member = bed.cluster("member");

    installCrds(hub, ROOT.resolve("deploy/hub/crds"));
    installCrds(member, ROOT.resolve("deploy/agent/crds"));

    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    hubServer = AdmissionServers.startHub(
        Config.fromConfig(hub.kubeconfig().toString()), loopback, ServingCertificate.generate(List.of()), Optional.empty());
    memberServer = AdmissionServers.startAgent(
        Config.fromConfig(member.kubeconfig().toString()), loopback, ServingCertificate.generate(List.of()), Optional.empty(),
        ClusterFacts.DEFAULT_PULSAR_SERVICE_URL, ClusterFacts.DEFAULT_GIT_IMAGE);

    hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n");
    awaitValidationWebhook(hub);
    awaitValidationWebhook(member);
  }

  @AfterAll
  static void stopEverything() {
    if (hubServer != null) {
      hubServer.close();
    }
    if (memberServer != null) {
      memberServer.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  private static void installCrds(KubeCluster cluster, Path folder) {
    KubectlResult applied = cluster.kubectl("apply", "-f", folder.toString());
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    KubectlResult established = cluster.awaitEstablished(folder, Duration.ofSeconds(60));
    assertThat(established.exitCode()).as(established.stderr()).isZero();
  }

  /**
   * Waits until the apiserver calls our webhook, because it picks up new webhook configurations
   * asynchronously. kubectl prints a denial with reason Invalid as {@code The <Kind> "<name>" is invalid:} followed
   * by the causes, one {@code field: message} each.
   */
  private static void awaitValidationWebhook(KubeCluster cluster) {
    Path invalid = ROOT.resolve("examples/graphs/invalid/needs-cycle.yaml");
    await().atMost(WEBHOOK_READY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      KubectlResult result = cluster.kubectl("apply", "--dry-run=server", "-f", invalid.toString());
      assertThat(result.stderr()).contains("spec.graph.components.b.needs: needs form a cycle");
    });
  }

  private static Map<String, String> header(Path file) {
    return Yaml.headerComments(file);
  }

  private static JsonNode getJson(KubeCluster cluster, String... arguments) throws Exception {
    String[] command = new String[arguments.length + 3];
    command[0] = "get";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    command[arguments.length + 1] = "-o";
    command[arguments.length + 2] = "json";
    KubectlResult result = cluster.kubectl(command);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return Yaml.JSON.readTree(result.stdout());
  }

  @Test
  void invalidExamplesAreRejectedWithFieldAndMessage() {
    for (Path file : Yaml.examples("invalid")) {
      Map<String, String> expected = header(file);

      KubectlResult result = hub.kubectl("apply", "-f", file.toString());

      assertThat(result.exitCode()).as(file.toString()).isNotZero();
      assertThat(result.stderr())
          .as(file.toString())
          .contains("is invalid")
          .contains(expected.get("expected-field") + ": ")
          .contains(expected.get("expected-message"));
    }
  }

  @Test
  void validExamplesAreAccepted() {
    for (Path file : Yaml.examples("valid")) {
      KubectlResult result = hub.kubectl("apply", "-f", file.toString());

      assertThat(result.exitCode()).as(file + ": " + result.stderr()).isZero();
    }
  }

  @Test
  void repositoryNamedBySecretIsAdmittedWithAWarning() throws Exception {
    // A name of its own, so that kubectl sends a request even after the example was applied.
    String graph = Files.readString(Yaml.repositoryRoot().resolve("examples/graphs/valid/simple-v1beta1.yaml"))
        .replace("name: test-simple", "name: secret-repository");

    KubectlResult result = hub.kubectlWithInput(graph, "apply", "--dry-run=server", "-f", "-");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("Warning: spec.graph.components.")
        .contains(".chart.repo: \"rampart-repo\" names a Secret")
        .contains("give the chart repository URL instead");
  }

  @Test
  void invalidPolicyIsRejected() {
    String policy = "apiVersion: rampart.petuum.com/v1\nkind: PlacementPolicy\nmetadata: {name: broken, namespace: ml}\n"
        + "spec:\n  clusterAffinity: {clusterNames: []}\n  preferredAffinities: [{weight: 0, labelSelector: {}}]\n";

    KubectlResult result = hub.kubectlWithInput(policy, "apply", "-f", "-");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("The PlacementPolicy \"broken\" is invalid")
        .contains("spec.clusterAffinity.clusterNames: an empty list with no labelSelector matches no cluster")
        .contains("spec.preferredAffinities[0].weight: weight 0 is out of range");
  }

  @Test
  void v1beta1GraphReadsBackInEveryVersionUnchanged() throws Exception {
    String original = Files.readString(ROOT.resolve("examples/graphs/valid/simple-v1beta1.yaml")).replace("name: test-simple", "name: round-trip");
    hub.applyYaml(original);
    JsonNode written = Yaml.parse(original).path("spec");

    JsonNode v1 = getJson(hub, "rampartgraphs.v1.rampart.petuum.com", "round-trip", "-n", "default");
    JsonNode v1beta2 = getJson(hub, "rampartgraphs.v1beta2.rampart.petuum.com", "round-trip", "-n", "default");
    JsonNode v1beta1 = getJson(hub, "rampartgraphs.v1beta1.rampart.petuum.com", "round-trip", "-n", "default");

    assertThat(v1.path("apiVersion").asText()).isEqualTo("rampart.petuum.com/v1");
    assertThat(v1beta2.path("apiVersion").asText()).isEqualTo("rampart.petuum.com/v1beta2");
    assertThat(v1beta1.path("apiVersion").asText()).isEqualTo("rampart.petuum.com/v1beta1");
    assertThat((Object) v1.path("spec")).isEqualTo(written);
    assertThat((Object) v1beta2.path("spec")).isEqualTo(written);
    assertThat((Object) v1beta1.path("spec")).isEqualTo(written);
    assertThat(v1beta1.path("metadata").path("annotations").has(GraphConverter.CONVERSION_ANNOTATION)).isFalse();
  }

  @Test
  void deployFalseAndPlacementSurviveWriteThroughV1beta1() throws Exception {
    String original = Files.readString(ROOT.resolve("examples/graphs/valid/trainer-v1.yaml"))
        .replace("name: trainer\n", "name: written-back\n").replace("deploy: true", "deploy: false");
    hub.applyYaml(original);
    JsonNode written = Yaml.parse(original).path("spec");

    // Read through the deprecated version and write that object back, as old clients do.
    ObjectNode old = (ObjectNode) getJson(hub, "rampartgraphs.v1beta1.rampart.petuum.com", "written-back", "-n", "ml");
    assertThat(old.path("spec").has("deploy")).isFalse();
    assertThat(old.path("spec").has("placement")).isFalse();
    KubectlResult replaced = hub.kubectlWithInput(old.toString(), "replace", "-f", "-");
    assertThat(replaced.exitCode()).as(replaced.stderr()).isZero();

    JsonNode v1 = getJson(hub, "rampartgraphs.v1.rampart.petuum.com", "written-back", "-n", "ml");
    assertThat((Object) v1.path("spec")).isEqualTo(written);
    assertThat(v1.path("metadata").path("annotations").has(GraphConverter.CONVERSION_ANNOTATION)).isFalse();
  }

  @Test
  void graphBeingDeletedIsAdmittedEvenWhenInvalid() throws Exception {
    String graph = Files.readString(ROOT.resolve("examples/graphs/valid/demo-v1beta2.yaml"))
        .replace("name: demo\n", "name: deleting\n  finalizers: [rampart.petuum.com/graph]\n");
    hub.applyYaml(graph);
    KubectlResult deleted = hub.kubectl("delete", "rampartgraph", "deleting", "-n", "default", "--wait=false");
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();

    // The flow type no longer matches the output's type: invalid, but the graph is being deleted.
    KubectlResult patched = hub.kubectl(
        "patch", "rampartgraph", "deleting", "-n", "default", "--type=merge",
        "-p", "{\"spec\":{\"graph\":{\"flows\":{\"batch-input\":{\"type\":\"pulsar\",\"config\":null}}}}}");
    assertThat(patched.exitCode()).as(patched.stderr()).isZero();
    KubectlResult released = hub.kubectl(
        "patch", "rampartgraph", "deleting", "-n", "default", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");

    assertThat(released.exitCode()).as(released.stderr()).isZero();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(hub.kubectl("get", "rampartgraph", "deleting", "-n", "default").stderr()).contains("NotFound"));
  }

  @Test
  void podInComponentNamespaceCarriesFlows() throws Exception {
    member.applyYaml(Files.readString(ROOT.resolve("examples/graphs/valid/demo-v1beta2.yaml")));
    member.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default-demo-batch-uploader\n"
        + "  labels: {controlled-by-rampart: \"true\"}\n");
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: uploader, namespace: default-demo-batch-uploader}\n"
        + "spec:\n  containers:\n  - {name: main, image: example.invalid/uploader:1}\n"
        + "  - name: data\n    image: example.invalid/data:1\n    volumeMounts: [{name: own, mountPath: /output_1}]\n"
        + "  volumes: [{name: own, emptyDir: {}}]\n";

    // The namespace's default service account appears a moment after the namespace.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(member.kubectlWithInput(pod, "apply", "-f", "-").exitCode()).isZero());
    JsonNode created = getJson(member, "pod", "uploader", "-n", "default-demo-batch-uploader");

    JsonNode main = created.path("spec").path("containers").get(0);
    assertThat(main.path("volumeMounts").findValuesAsText("mountPath")).contains("/output_1", "/.RAMPART");
    assertThat(main.path("env").findValuesAsText("name")).contains("RAMPART_OUTPUT_output_1");
    assertThat(main.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
    assertThat(created.path("spec").path("volumes").findValuesAsText("claimName")).contains("default-demo-batch-input");
    JsonNode data = created.path("spec").path("containers").get(1);
    assertThat(data.path("volumeMounts").findValuesAsText("name")).contains("own").doesNotContain("flow-volume-batch-input");
  }

  @Test
  void namespaceOfAnotherGraphIsRejected() {
    String graph = "apiVersion: rampart.petuum.com/v1\nkind: RampartGraph\nmetadata: {name: NAME, namespace: default}\n"
        + "spec:\n  graph:\n    flows: {}\n    components:\n      web:\n"
        + "        {chart: {repo: rampart-repo, name: generic-service}, config: {}, inputs: {}, outputs: {}, namespace: team-shared}\n";
    hub.applyYaml(graph.replace("NAME", "claims-first"));

    KubectlResult again = hub.kubectlWithInput(graph.replace("NAME", "claims-first"), "apply", "-f", "-");
    KubectlResult second = hub.kubectlWithInput(graph.replace("NAME", "claims-second"), "apply", "-f", "-");

    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(second.exitCode()).isNotZero();
    assertThat(second.stderr()).contains(
        "spec.graph.components.web.namespace: component \"web\" would run in namespace \"team-shared\", "
            + "which RampartGraph default/claims-first already uses");
  }

  @Test
  void crdsServeShortNamesAndColumns() {
    hub.applyYaml("apiVersion: rampart.petuum.com/v1\nkind: MemberCluster\nmetadata:\n  name: gpu-east\n"
        + "  labels: {topology.rampart.petuum.com/region: us-east-1}\nspec: {unschedulable: true}\n");

    KubectlResult graphs = hub.kubectl("get", "rg", "-A");
    KubectlResult clusters = hub.kubectl("get", "mc");
    KubectlResult policies = hub.kubectl("get", "pp", "-A");
    KubectlResult badTaint = hub.kubectlWithInput(
        "apiVersion: rampart.petuum.com/v1\nkind: MemberCluster\nmetadata: {name: bad}\n"
            + "spec: {taints: [{key: gpu, effect: NoRun}]}\n", "apply", "-f", "-");

    assertThat(graphs.exitCode()).as(graphs.stderr()).isZero();
    assertThat(graphs.stdout().lines().findFirst().orElse("")).contains("PHASE", "CLUSTERS", "READY", "AGE");
    assertThat(clusters.stdout()).contains("REGION", "us-east-1", "true");
    assertThat(policies.exitCode()).as(policies.stderr()).isZero();
    assertThat(badTaint.exitCode()).isNotZero();
    assertThat(badTaint.stderr()).contains("spec.taints[0].effect").contains("NoRun");
  }
}
