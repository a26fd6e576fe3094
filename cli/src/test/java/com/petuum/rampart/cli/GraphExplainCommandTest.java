package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GraphExplainCommandTest {

  private static final Path EXAMPLES = repoRoot().resolve("examples");
  private static final String INVENTORY = EXAMPLES.resolve("inventory/heterogeneous.yaml").toString();
  private static final String POLICIES = EXAMPLES.resolve("placement/policies.yaml").toString();

  @TempDir
  Path temp;

  private record Run(int exitCode, String stdout, String stderr) {
    JsonNode json() throws IOException {
      return JsonMapper.builder().build().readTree(stdout);
    }
  }

  private static Path repoRoot() {
    String configured = System.getProperty("rampart.repo.root");
    return configured == null || configured.isEmpty() ? Path.of("..").toAbsolutePath() : Path.of(configured);
  }

  private static String example(String name) {
    return EXAMPLES.resolve("placement").resolve(name).toString();
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void placedGraphPrintsJsonShape() throws Exception {
    Run run = run("graph", "explain", "--inventory", INVENTORY, "--policies", POLICIES, "-o", "json", example("training.yaml"));

    assertThat(run.exitCode()).isZero();
    assertThat(run.stderr()).isEmpty();
    JsonNode decision = run.json().get("decisions").get(0);
    assertThat(decision.get("graph").asText()).isEqualTo("team-ml/training");
    assertThat(decision.get("schedulable").asBoolean()).isTrue();
    assertThat(decision.get("placements").get("trainer").asText()).isEqualTo("aws-east-a100");
    assertThat(decision.get("placements").get("loader").asText()).isEqualTo("aws-east-a100");
    JsonNode group = decision.get("groups").get(0);
    assertThat(group.get("components")).hasSize(2);
    assertThat(group.get("cluster").asText()).isEqualTo("aws-east-a100");
    assertThat(group.get("candidates")).hasSize(7);
    JsonNode first = group.get("candidates").get(0);
    assertThat(first.get("cluster").asText()).isEqualTo("aws-east-a100");
    assertThat(first.get("feasible").asBoolean()).isTrue();
    assertThat(first.get("reasons")).isEmpty();
    assertThat(first.get("score").isInt()).isTrue();
    assertThat(decision.get("summary").asText()).startsWith("placed 3 component(s) on 1 cluster(s): aws-east-a100");
  }

  @Test
  void competingGraphsShareOneLedger() throws Exception {
    Run run = run("graph", "explain", "--inventory", INVENTORY, "-o", "json", example("competing.yaml"));

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_UNSCHEDULABLE);
    JsonNode decisions = run.json().get("decisions");
    assertThat(decisions).hasSize(3);
    assertThat(decisions.get(0).get("schedulable").asBoolean()).isTrue();
    assertThat(decisions.get(1).get("schedulable").asBoolean()).isFalse();
    assertThat(decisions.get(2).get("schedulable").asBoolean()).isFalse();
    assertThat(decisions.get(1).get("placements")).isEmpty();
    assertThat(decisions.get(1).get("summary").asText()).contains(
        "group [trial]: 0 of 7 clusters fit: 4 cluster(s) lack 4 nvidia.com/gpu in total (free: 2); "
            + "4 cluster(s) lack 4 nvidia.com/gpu on one node (largest free: 1); "
            + "1 cluster(s) had untolerated taint gpu=reserved:NoSchedule");
  }

  @Test
  void textOutputShowsTable() {
    Run run = run("graph", "explain", "--inventory", INVENTORY, example("fragmented.yaml"));

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("team-ml/big-trainer: placed");
    assertThat(run.stdout()).contains("  group [trainer] -> aws-east-a100 (fits 1 cluster(s) whole)");
    assertThat(run.stdout()).containsPattern("azure-west-v100 +no +- +lack 16 cpu on one node \\(largest free: 8\\)");
  }

  @Test
  void splitGroupNamesStorageDomain() throws Exception {
    Run run = run("graph", "explain", "--inventory", INVENTORY, "-o", "json", example("shared-volume.yaml"));

    assertThat(run.exitCode()).isZero();
    JsonNode group = run.json().get("decisions").get(0).get("groups").get(0);
    assertThat(group.get("cluster").isNull()).isTrue();
    assertThat(group.get("storageDomain").asText()).isEqualTo("nfs-east");
  }

  @Test
  void olderGraphVersionNeedsOnlySlot() throws Exception {
    Run run = run("graph", "explain", "--inventory", INVENTORY, "-o", "json", example("legacy-v1beta2.yaml"));

    assertThat(run.exitCode()).isZero();
    assertThat(run.json().get("decisions").get(0).get("placements").get("notebook").asText()).isNotEmpty();
  }

  @Test
  void invalidGraphExitsOneWithEveryError() throws IOException {
    Path graph = Files.writeString(temp.resolve("bad.yaml"), """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: bad, namespace: team}
        spec:
          graph:
            components:
              a: {resources: [{count: 1, requests: {cpu: lots}}], inputs: {x: {type: volume, flow: nope}}}
            flows: {}
        """);

    Run run = run("graph", "explain", "--inventory", INVENTORY, graph.toString());

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_INVALID);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("RampartGraph team/bad is invalid:");
    assertThat(run.stderr()).contains("spec.graph.components.a.inputs.x.flow: ");
    assertThat(run.stderr()).contains("spec.graph.components.a.resources[0].requests.cpu: ");
  }

  @Test
  void everyInvalidExampleExitsOne() throws IOException {
    List<Path> invalid;
    try (var files = Files.list(EXAMPLES.resolve("graphs").resolve("invalid"))) {
      invalid = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(invalid).hasSizeGreaterThan(10);

    for (Path file : invalid) {
      Run run = run("graph", "explain", "--inventory", INVENTORY, file.toString());

      assertThat(run.exitCode()).as("%s: %s", file.getFileName(), run.stderr()).isEqualTo(RampartCtl.EXIT_INVALID);
      assertThat(run.stderr()).as(file.getFileName().toString()).contains("is invalid:");
    }
  }

  @Test
  void malformedYamlExitsOne() throws IOException {
    Path graph = Files.writeString(temp.resolve("broken.yaml"), "kind: [unclosed\n");

    Run run = run("graph", "explain", "--inventory", INVENTORY, graph.toString());

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_INVALID);
    assertThat(run.stderr()).contains("broken.yaml: invalid YAML");
  }

  @Test
  void missingPolicyExitsOne() throws IOException {
    Path graph = Files.writeString(temp.resolve("ref.yaml"), """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: ref, namespace: team-ml}
        spec:
          placement: {policyRef: {name: absent}}
          graph:
            components: {a: {chart: {repo: http://127.0.0.1:8879/charts, name: x}, config: {}, inputs: {}, outputs: {}}}
            flows: {}
        """);

    Run run = run("graph", "explain", "--inventory", INVENTORY, "--policies", POLICIES, graph.toString());

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_INVALID);
    assertThat(run.stdout()).contains("PlacementPolicy team-ml/absent not found");
  }

  @Test
  void unreadableFileExitsTwo() {
    Run run = run("graph", "explain", "--inventory", temp.resolve("absent.yaml").toString(), example("training.yaml"));

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.stderr()).startsWith("error: --inventory ").contains("absent.yaml: file not found; check the path");
  }

  @Test
  void badUsageExitsTwo() {
    Run noInventory = run("graph", "explain", example("training.yaml"));
    Run badFormat = run("graph", "explain", "--inventory", INVENTORY, "-o", "xml", example("training.yaml"));
    Run noGraph = run("graph", "explain", "--inventory", INVENTORY);

    assertThat(noInventory.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(noInventory.stderr()).contains("Missing required option: '--inventory=FILE'");
    assertThat(badFormat.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(badFormat.stderr()).contains("--output: \"xml\" is not a format (expected text or json)");
    assertThat(noGraph.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
  }
}
