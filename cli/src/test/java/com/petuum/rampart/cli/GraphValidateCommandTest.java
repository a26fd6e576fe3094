package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GraphValidateCommandTest {

  private static final Path ROOT = Path.of(System.getProperty("rampart.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path VALID = ROOT.resolve("examples/graphs/valid");
  private static final Path INVALID = ROOT.resolve("examples/graphs/invalid");

  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void validFilesExitZero() {
    int code = run("graph", "validate", VALID.resolve("demo-v1beta2.yaml").toString(), VALID.resolve("trainer-v1.yaml").toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_OK);
    assertThat(out.toString())
        .contains("RampartGraph default/demo is valid")
        .contains("RampartGraph ml/trainer is valid")
        .contains("Skipped (they need a cluster):");
    // The original demo names its chart repository by a Secret, which members cannot use.
    assertThat(err.toString()).contains("warning: " + VALID.resolve("demo-v1beta2.yaml")
        + ": spec.graph.components.batch-uploader.chart.repo: \"rampart-repo\" names a Secret");
  }

  @Test
  void invalidFileExitsOneAndListsFieldPaths() {
    int code = run("graph", "validate", VALID.resolve("demo-v1beta2.yaml").toString(), INVALID.resolve("needs-cycle.yaml").toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_INVALID);
    assertThat(out.toString())
        .contains("RampartGraph default/needs-cycle is invalid: 1 error")
        .contains("  spec.graph.components.b.needs: needs form a cycle: a -> b -> a");
  }

  @Test
  void jsonOutputHasTheDocumentedShape() throws Exception {
    int code = run("graph", "validate", "-o", "json", INVALID.resolve("missing-flow.yaml").toString(), VALID.resolve("simple-v1beta1.yaml").toString());

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(RampartCtl.EXIT_INVALID);
    JsonNode first = json.path("results").get(0);
    assertThat(first.path("file").asText()).endsWith("missing-flow.yaml");
    assertThat(first.path("namespace").asText()).isEqualTo("default");
    assertThat(first.path("name").asText()).isEqualTo("missing-flow");
    assertThat(first.path("valid").asBoolean()).isFalse();
    assertThat(first.path("errors").get(0).path("field").asText()).isEqualTo("spec.graph.components.trainer.inputs.data.flow");
    assertThat(first.path("errors").get(0).path("message").asText()).contains("\"raw-data\"");
    JsonNode second = json.path("results").get(1);
    assertThat(second.path("name").asText()).isEqualTo("test-simple");
    assertThat(second.path("valid").asBoolean()).isTrue();
    assertThat(second.path("errors").size()).isZero();
    assertThat(second.path("warnings").size()).isEqualTo(2);
    assertThat(json.path("skippedRules").size()).isEqualTo(3);
  }

  @Test
  void everyDocumentOfMultiDocumentFileIsValidated() throws Exception {
    Path file = temp.resolve("both.yaml");
    Files.writeString(file, Files.readString(VALID.resolve("simple-v1beta1.yaml")) + "\n---\n"
        + Files.readString(INVALID.resolve("edge-type-mismatch.yaml")) + "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n");

    int code = run("graph", "validate", "-o", "json", file.toString());

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(RampartCtl.EXIT_INVALID);
    assertThat(json.path("results").findValuesAsText("name")).containsExactly("test-simple", "edge-type-mismatch");
  }

  @Test
  void missingFileExitsTwo() {
    int code = run("graph", "validate", temp.resolve("absent.yaml").toString(), VALID.resolve("demo-v1beta2.yaml").toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("absent.yaml: file not found");
    assertThat(out.toString()).contains("RampartGraph default/demo is valid");
  }

  @Test
  void unparsableYamlExitsTwo() throws Exception {
    Path file = temp.resolve("broken.yaml");
    Files.writeString(file, "apiVersion: rampart.petuum.com/v1\nspec: {graph: [unclosed\n");

    int code = run("graph", "validate", file.toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("broken.yaml: not valid YAML or JSON");
  }

  @Test
  void misspeltKindExitsTwoNamingKind() throws Exception {
    Path file = temp.resolve("typo.yaml");
    Files.writeString(file, "apiVersion: rampart.petuum.com/v1\nkind: RampartGrpah\nmetadata: {name: x}\n");

    int code = run("graph", "validate", file.toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("typo.yaml: contains no RampartGraph or PlacementPolicy (kinds found: RampartGrpah)");
  }

  @Test
  void emptyFileExitsTwo() throws Exception {
    Path file = temp.resolve("empty.yaml");
    Files.writeString(file, "");

    int code = run("graph", "validate", file.toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("empty.yaml: contains no YAML or JSON document");
  }

  @Test
  void directoryExitsTwoWithHint() {
    int code = run("graph", "validate", temp.toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("is a directory; pass the files in it instead");
  }

  @Test
  void yamlErrorNamesLineColumnAndExpectation() throws Exception {
    Path file = temp.resolve("unclosed.yaml");
    Files.writeString(file, "apiVersion: rampart.petuum.com/v1\nspec: {graph: [unclosed\n");

    run("graph", "validate", file.toString());

    assertThat(err.toString()).contains("not valid YAML or JSON at line").contains("expected ',' or ']'");
  }

  @Test
  void missingFileArgumentExitsTwo() {
    int code = run("graph", "validate");

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
  }

  @Test
  void unknownFormatExitsTwo() {
    int code = run("graph", "validate", "-o", "xml", VALID.resolve("demo-v1beta2.yaml").toString());

    assertThat(code).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("xml");
  }
}
