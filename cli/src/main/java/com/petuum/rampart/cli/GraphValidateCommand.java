package com.petuum.rampart.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.rules.ChartRepositoryWarnings;
import com.petuum.rampart.admission.rules.FieldError;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.PolicyValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Validates RampartGraph (and PlacementPolicy) files offline, with the rules the admission webhook
 * applies. Rules that need cluster state are not run and are listed as skipped.
 *
 * <p>Exit codes: 0 when every object is valid, 1 when any is invalid, 2 when a file cannot be read
 * or parsed, or the command line is wrong. A file that cannot be read is reported and the other
 * files are still validated.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validates RampartGraph and PlacementPolicy files without a cluster, with the admission webhook's rules.",
      "Files may hold several YAML or JSON documents, in any served version; other kinds are ignored."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every object is valid",
      "1:some object is invalid",
      "2:a file could not be read or parsed, or the command line is wrong"
    })
final class GraphValidateCommand implements Callable<Integer> {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Output formats of {@code -o}. */
  enum Format { text, json }

  @Spec
  private CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  private Format format;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace assumed for objects without metadata.namespace (default: ${DEFAULT-VALUE}).",
      defaultValue = GraphValidator.DEFAULT_NAMESPACE)
  private String namespace;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to validate; - reads standard input.")
  private List<Path> files;

  private final GraphValidator graphValidator = new GraphValidator();
  private final PolicyValidator policyValidator = new PolicyValidator();

  /**
   * One validated object, or one file that could not be read.
   *
   * @param warnings problems that do not make the object invalid but will make it fail later
   */
  private record Result(String file, String kind, String namespace, String name, List<FieldError> errors,
      List<String> warnings, String readError) {}

  @Override
  public Integer call() throws IOException {
    List<Result> results = new ArrayList<>();
    for (Path file : files) {
      results.addAll(validateFile(file));
    }
    if (format == Format.json) {
      printJson(results);
    } else {
      printText(results);
    }
    if (results.stream().anyMatch(r -> r.readError() != null)) {
      return RampartCtl.EXIT_USAGE;
    }
    return results.stream().anyMatch(r -> !r.errors().isEmpty()) ? RampartCtl.EXIT_INVALID : RampartCtl.EXIT_OK;
  }

  private List<Result> validateFile(Path file) {
    String label = file.toString();
    if (!label.equals("-") && Files.isDirectory(file)) {
      return List.of(readError(label, "is a directory; pass the files in it instead, such as " + label + "/*.yaml"));
    }
    List<JsonNode> documents = new ArrayList<>();
    try (InputStream in = label.equals("-") ? System.in : Files.newInputStream(file);
        MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (iterator.hasNextValue()) {
        JsonNode document = iterator.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of(readError(label, "file not found; check the path"));
    } catch (JsonProcessingException e) {
      // SnakeYAML's message spans lines ("while parsing ...", "in 'reader', line 9", "expected ...").
      String problem = e.getOriginalMessage().lines().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("in '"))
          .collect(java.util.stream.Collectors.joining("; "));
      return List.of(readError(label, "not valid YAML or JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ": " + problem));
    } catch (IOException | RuntimeException e) {
      return List.of(readError(label, "cannot read the file: " + e.getMessage()));
    }

    List<Result> results = new ArrayList<>();
    java.util.Set<String> otherKinds = new java.util.TreeSet<>();
    for (JsonNode document : documents) {
      String kind = document.path("kind").asText("");
      otherKinds.add(kind.isEmpty() ? "(none)" : kind);
      boolean graph = kind.equals(GraphVersion.KIND)
          || (kind.isEmpty() && document.path("apiVersion").asText("").startsWith(GraphVersion.GROUP + "/"));
      if (!graph && !kind.equals(PolicyValidator.KIND)) {
        continue;
      }
      ValidationReport report = graph ? graphValidator.validate(document, namespace) : policyValidator.validate(document);
      String objectNamespace = document.path("metadata").path("namespace").asText("");
      results.add(new Result(
          label,
          graph ? GraphVersion.KIND : PolicyValidator.KIND,
          objectNamespace.isEmpty() ? namespace : objectNamespace,
          document.path("metadata").path("name").asText(document.path("metadata").path("generateName").asText("")),
          report.errors(),
          graph && report.isValid() ? ChartRepositoryWarnings.of(document) : List.of(),
          null));
    }
    if (results.isEmpty()) {
      return List.of(readError(label, documents.isEmpty()
          ? "contains no YAML or JSON document; pass a file with a RampartGraph or PlacementPolicy"
          : "contains no RampartGraph or PlacementPolicy (kinds found: " + String.join(", ", otherKinds)
              + "); check the kind"));
    }
    return results;
  }

  private static Result readError(String file, String message) {
    return new Result(file, "", "", "", List.of(), List.of(), message);
  }

  private void printText(List<Result> results) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Result result : results) {
      if (result.readError() != null) {
        err.println("error: " + result.file() + ": " + result.readError());
        continue;
      }
      String object = result.kind() + " " + result.namespace() + "/" + result.name();
      if (result.errors().isEmpty()) {
        out.println(result.file() + ": " + object + " is valid");
        result.warnings().forEach(warning -> err.println("warning: " + result.file() + ": " + warning));
        continue;
      }
      int count = result.errors().size();
      out.println(result.file() + ": " + object + " is invalid: " + count + (count == 1 ? " error" : " errors"));
      for (FieldError error : result.errors()) {
        out.println("  " + (error.field().isEmpty() ? "(object)" : error.field()) + ": " + error.message());
      }
    }
    if (results.stream().anyMatch(r -> r.readError() == null && r.kind().equals(GraphVersion.KIND))) {
      out.println("Skipped (they need a cluster): " + String.join("; ", GraphValidator.CLUSTER_STATE_RULES) + ".");
    }
    out.flush();
    err.flush();
  }

  private void printJson(List<Result> results) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("results");
    for (Result result : results) {
      ObjectNode item = list.addObject();
      item.put("file", result.file());
      if (result.readError() != null) {
        item.put("valid", false);
        item.put("error", result.readError());
        item.putArray("errors");
        continue;
      }
      item.put("kind", result.kind());
      item.put("namespace", result.namespace());
      item.put("name", result.name());
      item.put("valid", result.errors().isEmpty());
      ArrayNode errors = item.putArray("errors");
      for (FieldError error : result.errors()) {
        errors.addObject().put("field", error.field()).put("message", error.message());
      }
      ArrayNode warnings = item.putArray("warnings");
      result.warnings().forEach(warnings::add);
    }
    ArrayNode skipped = root.putArray("skippedRules");
    GraphValidator.CLUSTER_STATE_RULES.forEach(skipped::add);
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(root));
    out.flush();
  }
}
