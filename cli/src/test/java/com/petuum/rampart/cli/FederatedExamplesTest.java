package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The graphs in {@code examples/graphs/federated}, checked offline against
 * {@code examples/inventory/local.yaml}, the inventory the local federation reports.
 */
class FederatedExamplesTest {

  private static final Path ROOT = Path.of(System.getProperty("rampart.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path FEDERATED = ROOT.resolve("examples/graphs/federated");
  private static final String INVENTORY = ROOT.resolve("examples/inventory/local.yaml").toString();
  private static final String CHART_REPOSITORY = "http://127.0.0.1:8879/charts";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private record Run(int exitCode, String stdout, String stderr) {
    JsonNode decision() throws IOException {
      return JsonMapper.builder().build().readTree(stdout).path("decisions").path(0);
    }
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

  private static String example(String name) {
    return FEDERATED.resolve(name).toString();
  }

  private static Run explain(String name) {
    return run("graph", "explain", "--inventory", INVENTORY, "-o", "json", example(name));
  }

  @Test
  void validateAcceptsAllThree() {
    Run run = run("graph", "validate", example("pipeline.yaml"), example("train-serve.yaml"), example("unfittable.yaml"));

    assertThat(run.exitCode()).as(run.stdout()).isEqualTo(RampartCtl.EXIT_OK);
    assertThat(run.stdout()).contains("RampartGraph demo/pipeline is valid");
    assertThat(run.stdout()).contains("RampartGraph demo/train-serve is valid");
    assertThat(run.stdout()).contains("RampartGraph demo/unfittable is valid");
  }

  @Test
  void chartsMatchExampleChartVersions() throws IOException {
    Map<String, String> versions = Map.of(
        "uploader", chartVersion("uploader"),
        "batch-executor", chartVersion("batch-executor"),
        "serving", chartVersion("serving"));

    for (String name : new String[] {"pipeline.yaml", "train-serve.yaml", "unfittable.yaml"}) {
      JsonNode components = YAML.readTree(FEDERATED.resolve(name).toFile()).path("spec").path("graph").path("components");
      assertThat(components.size()).as(name).isPositive();
      components.fields().forEachRemaining(component -> {
        JsonNode chart = component.getValue().path("chart");
        String where = name + " component " + component.getKey();
        assertThat(chart.path("repo").asText()).as(where).isEqualTo(CHART_REPOSITORY);
        assertThat(versions).as(where).containsKey(chart.path("name").asText());
        assertThat(chart.path("version").asText()).as(where).isEqualTo(versions.get(chart.path("name").asText()));
      });
    }
  }

  @Test
  void pipelineRunsOnOneGpuMember() throws IOException {
    Run run = explain("pipeline.yaml");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(RampartCtl.EXIT_OK);
    JsonNode decision = run.decision();
    assertThat(decision.path("graph").asText()).isEqualTo("demo/pipeline");
    assertThat(decision.path("schedulable").asBoolean()).isTrue();
    // The volume flows bind all three components to one cluster with a free GPU. BinPack prefers
    // the one with less free capacity: gpu-west.
    JsonNode placements = decision.path("placements");
    assertThat(placements.path("uploader").asText()).isEqualTo("gpu-west");
    assertThat(placements.path("executor").asText()).isEqualTo("gpu-west");
    assertThat(placements.path("serving").asText()).isEqualTo("gpu-west");
    assertThat(decision.path("groups")).hasSize(1);
    JsonNode cpuOnly = candidate(decision.path("groups").path(0), "cpu-onprem");
    assertThat(cpuOnly.path("feasible").asBoolean()).isFalse();
    assertThat(cpuOnly.path("reasons").toString()).contains("lack 1 nvidia.com/gpu in total (free: 0)");
  }

  @Test
  void trainServeSplitsAcrossTwoMembers() throws IOException {
    Run run = explain("train-serve.yaml");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(RampartCtl.EXIT_OK);
    JsonNode decision = run.decision();
    assertThat(decision.path("schedulable").asBoolean()).isTrue();
    // The repository flow has a remote, so the two components form separate groups.
    assertThat(decision.path("groups")).hasSize(2);
    assertThat(decision.path("placements").path("serving").asText()).isEqualTo("cpu-onprem");
    assertThat(decision.path("placements").path("training").asText()).isEqualTo("gpu-west");
    assertThat(decision.path("summary").asText())
        .startsWith("placed 2 component(s) on 2 cluster(s): cpu-onprem (serving), gpu-west (training)");
  }

  @Test
  void unfittableExitsThreeNamingGpus() throws IOException {
    Run run = explain("unfittable.yaml");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_UNSCHEDULABLE);
    JsonNode decision = run.decision();
    assertThat(decision.path("schedulable").asBoolean()).isFalse();
    assertThat(decision.path("status").asText()).isEqualTo("UNSCHEDULABLE");
    assertThat(decision.path("placements").isEmpty()).isTrue();
    JsonNode group = decision.path("groups").path(0);
    assertThat(group.path("candidates")).hasSize(3);
    for (String cluster : new String[] {"gpu-east", "gpu-west", "cpu-onprem"}) {
      JsonNode candidate = candidate(group, cluster);
      assertThat(candidate.path("feasible").asBoolean()).as(cluster).isFalse();
      assertThat(candidate.path("reasons").toString()).as(cluster).contains("lack 16 nvidia.com/gpu on one node");
    }
    assertThat(candidate(group, "gpu-east").path("reasons").toString()).contains("(largest free: 8)");
    assertThat(decision.path("summary").asText()).contains("0 of 3 clusters fit", "nvidia.com/gpu");
  }

  @Test
  void unfittableTextNamesGpus() {
    Run run = run("graph", "explain", "--inventory", INVENTORY, example("unfittable.yaml"));

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_UNSCHEDULABLE);
    assertThat(run.stdout()).contains("demo/unfittable: unschedulable");
    assertThat(run.stdout()).containsPattern("gpu-east +no +- +lack 16 nvidia.com/gpu on one node \\(largest free: 8\\)");
  }

  private static JsonNode candidate(JsonNode group, String cluster) {
    for (JsonNode candidate : group.path("candidates")) {
      if (cluster.equals(candidate.path("cluster").asText())) {
        return candidate;
      }
    }
    throw new AssertionError("no candidate " + cluster + " in " + group);
  }

  private static String chartVersion(String chart) throws IOException {
    return YAML.readTree(ROOT.resolve("examples/charts").resolve(chart).resolve("Chart.yaml").toFile()).path("version").asText();
  }
}
