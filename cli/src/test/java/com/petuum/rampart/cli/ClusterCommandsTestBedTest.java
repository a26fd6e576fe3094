package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.TestBed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Runs {@code cluster list|cordon|uncordon|taint} and {@code graph status} against a test-bed hub
 * apiserver with the Rampart CRDs, where MemberClusters and a graph's status are written as the
 * hub and the agents write them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCommandsTestBedTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:30Z");

  private TestBed bed;
  private KubeCluster hub;

  /** What one run printed and returned. */
  private record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  @BeforeAll
  void startHub() {
    bed = TestBed.builder("cli-cluster-commands").hub("hub").start();
    hub = bed.cluster("hub");
    Path crds = Path.of(System.getProperty("rampart.repo.root", "..")).toAbsolutePath().normalize().resolve("deploy/hub/crds");
    assertThat(hub.kubectl("apply", "--server-side", "-f", crds.toString()).succeeded()).isTrue();
    assertThat(hub.awaitEstablished(crds, Duration.ofSeconds(60)).succeeded()).isTrue();

    memberCluster("gpu-east", "{\"topology.rampart.petuum.com/region\": \"us-east-1\", \"gpu\": \"a100\"}", "True",
        "{\"cpu\": \"64\", \"memory\": \"256Gi\", \"nvidia.com/gpu\": \"8\"}", "{\"cpu\": \"54\", \"memory\": \"236Gi\", \"nvidia.com/gpu\": \"6\"}");
    memberCluster("cpu-onprem", "{\"topology.rampart.petuum.com/region\": \"onprem\"}", "False",
        "{\"cpu\": \"32\", \"memory\": \"128Gi\"}", "{\"cpu\": \"30\", \"memory\": \"120Gi\"}");
  }

  @AfterAll
  void stopHub() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void listPrintsTable() {
    Run run = run("cluster", "list");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("READY", "SCHEDULING", "TAINTS", "CPU", "GPU", "HEARTBEAT");
    assertThat(lines.get(1)).startsWith("cpu-onprem").contains("False", "30/32", "120Gi/128Gi", "30s ago");
    assertThat(lines.get(2)).startsWith("gpu-east").contains("True", "54/64", "6/8", "0.1.0");
  }

  @Test
  void listPrintsJsonWithSelector() throws Exception {
    Run run = run("cluster", "list", "-l", "gpu=a100", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode clusters = run.json().path("clusters");
    assertThat(clusters.size()).isEqualTo(1);
    assertThat(clusters.get(0).path("name").asText()).isEqualTo("gpu-east");
    assertThat(clusters.get(0).path("ready").asText()).isEqualTo("True");
    assertThat(clusters.get(0).path("available").path("nvidia.com/gpu").asText()).isEqualTo("6");
    assertThat(clusters.get(0).path("labels").path("topology.rampart.petuum.com/region").asText()).isEqualTo("us-east-1");
  }

  @Test
  void listYamlMatchesJson() throws Exception {
    Run yaml = run("cluster", "list", "-l", "gpu=a100", "-o", "yaml");
    Run json = run("cluster", "list", "-l", "gpu=a100", "-o", "json");

    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(yaml.out()).startsWith("clusters:").contains("- name: gpu-east");
    JsonNode parsed = new ObjectMapper(new YAMLFactory()).readTree(yaml.out());
    // Heartbeat times are the same object read twice, so the two documents are equal.
    assertThat(parsed).isEqualTo(json.json());
  }

  @Test
  void listWithUnmatchedSelectorPointsAtTheLabels() {
    Run run = run("cluster", "list", "-l", "gpu=tpu");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("No member clusters match gpu=tpu").contains("cluster list -o json")
        .doesNotContain("token create");
  }

  @Test
  void malformedSelectorIsAUsageError() {
    Run run = run("cluster", "list", "-l", "bad key!!");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.err()).startsWith("error: --selector bad key!!: ").contains("HTTP 400")
        .contains("such as gpu=a100");
  }

  @Test
  void mistypedOptionGetsOneErrorLineAndASuggestion() {
    Run run = run("cluster", "list", "--selectr", "gpu=a100");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.err().lines().findFirst().orElse("")).startsWith("error: ").contains("--selectr");
    assertThat(run.err()).contains("--selector").contains("See 'rampartctl cluster list --help' for usage.")
        .doesNotContain("Usage:");
  }

  @Test
  void cordonThenUncordon() {
    Run cordon = run("cluster", "cordon", "cpu-onprem");
    Run again = run("cluster", "cordon", "cpu-onprem");
    String cordoned = field("cpu-onprem", "{.spec.unschedulable}");
    Run listed = run("cluster", "list");
    Run uncordon = run("cluster", "uncordon", "cpu-onprem");

    assertThat(cordon.exitCode()).as(cordon.err()).isZero();
    assertThat(cordon.out().trim()).isEqualTo("membercluster/cpu-onprem cordoned");
    assertThat(again.out().trim()).isEqualTo("membercluster/cpu-onprem already cordoned");
    assertThat(cordoned).isEqualTo("true");
    assertThat(listed.out()).containsPattern("cpu-onprem\\s+False\\s+Cordoned");
    assertThat(uncordon.exitCode()).as(uncordon.err()).isZero();
    assertThat(uncordon.out().trim()).isEqualTo("membercluster/cpu-onprem uncordoned");
    assertThat(field("cpu-onprem", "{.spec.unschedulable}")).isEqualTo("false");
  }

  @Test
  void cordonUnknownClusterIsNotFound() {
    Run run = run("cluster", "cordon", "nowhere");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_NOT_FOUND);
    assertThat(run.err()).contains("membercluster nowhere").contains("HTTP 404").contains("rampartctl cluster list");
  }

  @Test
  void taintAddsOverwritesAndRemoves() {
    Run added = run("cluster", "taint", "gpu-east", "gpu=reserved:NoSchedule", "maintenance:PreferNoSchedule");
    String afterAdd = field("gpu-east", "{.spec.taints}");
    Run conflicting = run("cluster", "taint", "gpu-east", "gpu=training:NoSchedule");
    Run overwritten = run("cluster", "taint", "gpu-east", "gpu=training:NoSchedule", "--overwrite");
    String afterOverwrite = field("gpu-east", "{.spec.taints[?(@.key==\"gpu\")].value}");
    Run listed = run("cluster", "list");
    Run removedByEffect = run("cluster", "taint", "gpu-east", "maintenance:PreferNoSchedule-");
    Run removedByKey = run("cluster", "taint", "gpu-east", "gpu-");
    Run removedAgain = run("cluster", "taint", "gpu-east", "gpu-");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out().trim()).isEqualTo("membercluster/gpu-east tainted");
    assertThat(afterAdd).contains("\"key\":\"gpu\"", "\"value\":\"reserved\"", "\"effect\":\"PreferNoSchedule\"");
    assertThat(conflicting.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(conflicting.err()).contains("taint gpu=reserved:NoSchedule exists; pass --overwrite");
    assertThat(overwritten.exitCode()).as(overwritten.err()).isZero();
    assertThat(afterOverwrite).isEqualTo("training");
    assertThat(listed.out()).contains("gpu=training:NoSchedule,maintenance:PreferNoSchedule");
    assertThat(removedByEffect.exitCode()).as(removedByEffect.err()).isZero();
    assertThat(removedByKey.exitCode()).as(removedByKey.err()).isZero();
    assertThat(removedByKey.out().trim()).isEqualTo("membercluster/gpu-east untainted");
    assertThat(field("gpu-east", "{.spec.taints}")).isIn("", "[]");
    assertThat(removedAgain.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(removedAgain.err()).contains("no taint with key gpu to remove");
  }

  @Test
  void graphStatusPrintsComponentsAndJson() throws Exception {
    hub.applyYaml("""
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: pipeline, namespace: default}
        spec:
          graph:
            components:
              trainer: {chart: {repo: "http://127.0.0.1:8879/charts", name: batch-executor, version: 0.6.1}}
        """);
    KubectlResult patched = hub.kubectl("patch", "rampartgraph", "pipeline", "-n", "default", "--subresource=status",
        "--type=merge", "-p", """
        {"status": {"phase": "Deploying", "observedGeneration": 1,
          "conditions": [{"type": "Scheduled", "status": "True", "reason": "Placed", "message": "placed on 1 cluster",
                          "lastTransitionTime": "2026-12-04T10:00:00Z"}],
          "placement": {"epoch": 7, "generation": 1, "components": {"trainer": {"cluster": "gpu-east", "reason": "most free GPUs"}}},
          "components": {"trainer": {"cluster": "gpu-east", "namespace": "default-pipeline-trainer", "phase": "Deploying",
                                     "message": "waiting for 1 pod",
                                     "endpoints": ["trainer.default-pipeline-trainer.svc:8080"]}},
          "flows": {"raw": {"backing": "volume", "clusters": ["gpu-east"]}}}}
        """);
    assertThat(patched.exitCode()).as(patched.stderr()).isZero();

    Run text = run("graph", "status", "pipeline", "-n", "default");
    Run json = run("graph", "status", "pipeline", "-n", "default", "-o", "json");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("Phase:       Deploying", "Generation:  1 (observed 1)", "generation 1, epoch 7\n");
    assertThat(text.out()).containsPattern("Scheduled\\s+True\\s+Placed\\s+placed on 1 cluster");
    assertThat(text.out()).containsPattern("trainer\\s+gpu-east\\s+default-pipeline-trainer\\s+Deploying\\s+waiting for 1 pod");
    assertThat(text.out()).containsPattern("raw\\s+volume\\s+gpu-east");
    assertThat(text.out()).containsPattern("Endpoints:\\n\\s+COMPONENT\\s+ENDPOINT\\n\\s+trainer\\s+"
        + "trainer\\.default-pipeline-trainer\\.svc:8080");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.json().path("status").path("components").path("trainer").path("cluster").asText()).isEqualTo("gpu-east");
    assertThat(json.json().path("namespace").asText()).isEqualTo("default");
    Run yaml = run("graph", "status", "pipeline", "-n", "default", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml.out())).isEqualTo(json.json());
  }

  @Test
  void graphStatusListsComponentsOfUnschedulableGraph() {
    hub.applyYaml("""
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: unfittable, namespace: default}
        spec:
          graph:
            components:
              training: {chart: {repo: "http://127.0.0.1:8879/charts", name: batch-executor, version: 0.6.1}}
        """);
    KubectlResult patched = hub.kubectl("patch", "rampartgraph", "unfittable", "-n", "default", "--subresource=status",
        "--type=merge", "-p", """
        {"status": {"phase": "Unschedulable", "observedGeneration": 1,
          "conditions": [{"type": "Scheduled", "status": "False", "reason": "Unschedulable",
                          "message": "graph default/unfittable is unschedulable\\ngroup [training]: 0 of 3 clusters fit",
                          "lastTransitionTime": "2026-12-04T10:00:00Z"}]}}
        """);
    assertThat(patched.exitCode()).as(patched.stderr()).isZero();

    Run text = run("graph", "status", "unfittable", "-n", "default");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).containsPattern(
        "Scheduled\\s+False\\s+Unschedulable\\s+graph default/unfittable is unschedulable; group \\[training]");
    assertThat(text.out()).containsPattern("training\\s+<none>\\s+<none>\\s+<none>\\s+not placed; see the Scheduled condition");
  }

  @Test
  void graphStatusUnknownGraphIsNotFound() {
    Run run = run("graph", "status", "missing", "-n", "default");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_NOT_FOUND);
    assertThat(run.err()).contains("rampartgraph default/missing").contains("-n NAMESPACE");
  }

  @Test
  void unknownContextIsUsageError() {
    Run run = run("cluster", "list", "--context", "elsewhere");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.err()).contains("--context: 'elsewhere' is not a context in");
  }

  @Test
  void unreachableHubIsHubError() {
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: gone, user: {token: unused}}]
        contexts: [{name: gone, context: {cluster: gone, user: gone}}]
        current-context: gone
        """;
    Path file = bed.writeFile("unreachable.kubeconfig", kubeconfig);

    Run run = runWith(List.of("cluster", "list", "--kubeconfig", file.toString()));

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_HUB_ERROR);
    assertThat(run.err()).contains("cannot reach the hub apiserver at https://127.0.0.1:1");
  }

  private void memberCluster(String name, String labels, String ready, String allocatable, String available) {
    hub.applyYaml("apiVersion: rampart.petuum.com/v1\nkind: MemberCluster\nmetadata: {name: " + name + ", labels: " + labels
        + "}\nspec: {}\n");
    String status = """
        {"status": {"conditions": [{"type": "Joined", "status": "True", "reason": "Joined", "message": "",
                                    "lastTransitionTime": "2026-12-04T09:00:00Z"},
                                   {"type": "Ready", "status": "%s", "reason": "Heartbeat", "message": "",
                                    "lastTransitionTime": "2026-12-04T09:00:00Z"}],
                    "agentVersion": "0.1.0", "lastHeartbeatTime": "2026-12-04T10:00:00Z", "nodeCount": 2,
                    "capacity": {"allocatable": %s, "available": %s}}}
        """.formatted(ready, allocatable, available);
    KubectlResult result = hub.kubectl("patch", "membercluster", name, "--subresource=status", "--type=merge", "-p", status);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  private String field(String cluster, String jsonPath) {
    return hub.kubectl("get", "membercluster", cluster, "-o", "jsonpath=" + jsonPath).stdout().trim();
  }

  private Run run(String... arguments) {
    List<String> withKubeconfig = new ArrayList<>(List.of(arguments));
    withKubeconfig.add("--kubeconfig");
    withKubeconfig.add(hub.kubeconfig().toString());
    return runWith(withKubeconfig);
  }

  private Run runWith(List<String> arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // A fixed clock makes the heartbeat ages in the table predictable.
    CommandLine commandLine = RampartCtl.newCommandLine(new FixedClockFactory());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(arguments.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** Creates commands as picocli's default factory does, but the cluster list with a fixed clock. */
  private static final class FixedClockFactory implements CommandLine.IFactory {
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ClusterListCommand.class) {
        return type.cast(new ClusterListCommand(Clock.fixed(NOW, ZoneOffset.UTC)));
      }
      return fallback.create(type);
    }
  }
}
