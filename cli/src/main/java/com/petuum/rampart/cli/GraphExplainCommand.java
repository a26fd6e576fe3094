package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.admission.rules.FieldError;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.PolicyValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import com.petuum.rampart.scheduler.mapping.InvalidManifestException;
import com.petuum.rampart.scheduler.mapping.ManifestMapper;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Explains offline where graphs would be placed, from files: MemberClusters with their status
 * (what {@code kubectl get mc -o yaml} prints), optional PlacementPolicies, and graphs.
 *
 * <p>The graphs are placed in the order given against one shared ledger, as if they arrived
 * together, so the capacity that earlier graphs took is already reserved for later ones.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Places RampartGraphs against a MemberCluster inventory without a hub, and prints each decision:",
      "per co-location group, every cluster's verdict, rejection reasons and score.",
      "Graphs are placed in the order given, sharing one ledger, as if they arrived together.",
      "",
      "Exit codes: 0 every graph placed, 3 some graph not placed, 1 invalid input, 2 bad usage or unreadable file."
    })
final class GraphExplainCommand implements Callable<Integer> {

  /** Fixed instant for the offline ledger: reservations never expire during one run. */
  private static final Instant OFFLINE_NOW = Instant.parse("2000-01-01T00:00:00Z");

  @Spec
  private CommandSpec spec;

  @Option(names = "--inventory", required = true, paramLabel = "FILE",
      description = "YAML or JSON file of MemberCluster objects with status, or a List of them.")
  private Path inventory;

  @Option(names = "--policies", paramLabel = "FILE", description = "YAML or JSON file of PlacementPolicy objects.")
  private Path policies;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: text (default) or json.")
  private String output;

  @Parameters(arity = "1..*", paramLabel = "GRAPH_FILE",
      description = "YAML or JSON files of RampartGraph objects (any API version), placed in order.")
  private List<Path> graphFiles;

  private final GraphValidator graphValidator = new GraphValidator();
  private final PolicyValidator policyValidator = new PolicyValidator();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("error: --output: \"" + output + "\" is not a format (expected text or json)");
      err.flush();
      return RampartCtl.EXIT_USAGE;
    }

    Inputs inputs;
    try {
      inputs = readInputs(err);
    } catch (ManifestFiles.UnreadableFileException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    }
    if (inputs == null) {
      err.flush();
      return RampartCtl.EXIT_INVALID;
    }

    List<Decision> decisions = place(inputs);
    if (output.equals("json")) {
      ExplainOutput.printJson(decisions, out);
    } else {
      ExplainOutput.printText(decisions, out);
    }
    return exitCode(decisions);
  }

  private record Inputs(List<MemberCluster> clusters, List<PlacementPolicy> policies, List<Graph> graphs) {}

  /** Reads every file; prints every invalid object and returns null if there was one. */
  private Inputs readInputs(PrintWriter err) throws ManifestFiles.UnreadableFileException {
    List<String> problems = new ArrayList<>();
    List<MemberCluster> clusters = new ArrayList<>();
    for (JsonNode object : objectsOf("--inventory ", inventory, problems)) {
      try {
        clusters.add(ManifestMapper.toMemberCluster(object));
      } catch (InvalidManifestException e) {
        problems.add(inventory + ": " + e.getMessage());
      }
    }
    Set<String> names = new HashSet<>();
    clusters.forEach(cluster -> {
      if (!names.add(cluster.name().value())) {
        problems.add(inventory + ": MemberCluster " + cluster.name() + " appears twice (expected each cluster once)");
      }
    });

    List<PlacementPolicy> policyList = new ArrayList<>();
    if (policies != null) {
      for (JsonNode object : objectsOf("--policies ", policies, problems)) {
        if (!admissionErrors(policies, object, problems)) {
          continue;
        }
        try {
          policyList.add(ManifestMapper.toPlacementPolicy(object));
        } catch (InvalidManifestException e) {
          problems.add(policies + ": " + e.getMessage());
        }
      }
    }

    List<Graph> graphs = new ArrayList<>();
    for (Path file : graphFiles) {
      for (JsonNode object : objectsOf("", file, problems)) {
        if (!admissionErrors(file, object, problems)) {
          continue;
        }
        try {
          graphs.add(ManifestMapper.toGraph(object));
        } catch (InvalidManifestException e) {
          problems.add(file + ": " + e.getMessage());
        }
      }
    }
    if (graphs.isEmpty() && problems.isEmpty()) {
      problems.add(String.join(", ", graphFiles.stream().map(Path::toString).toList()) + ": no RampartGraph found (expected at least one)");
    }

    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("error: " + problem));
      return null;
    }
    return new Inputs(clusters, policyList, graphs);
  }

  /**
   * Runs the admission webhook's rules on a graph or policy, as {@code graph validate} does, so
   * that explain never places an object the hub would reject. Adds one problem per error and
   * returns whether the object is valid; objects of other kinds pass through to the mapper.
   */
  private boolean admissionErrors(Path file, JsonNode object, List<String> problems) {
    String kind = object.path("kind").asText("");
    ValidationReport report;
    if (kind.equals(PolicyValidator.KIND)) {
      report = policyValidator.validate(object);
    } else if (kind.equals("RampartGraph")) {
      String namespace = object.path("metadata").path("namespace").asText(GraphValidator.DEFAULT_NAMESPACE);
      report = graphValidator.validate(object, namespace);
    } else {
      return true;
    }
    String name = object.path("metadata").path("namespace").asText(GraphValidator.DEFAULT_NAMESPACE) + "/"
        + object.path("metadata").path("name").asText("");
    for (FieldError error : report.errors()) {
      problems.add(file + ": " + kind + " " + name + " is invalid: " + error.field() + ": " + error.message());
    }
    return report.errors().isEmpty();
  }

  /**
   * Reads the objects of {@code file}, adding a malformed file to {@code problems}.
   *
   * @param option the option that named the file, such as "--inventory ", or "" for a graph file
   */
  private static List<JsonNode> objectsOf(String option, Path file, List<String> problems)
      throws ManifestFiles.UnreadableFileException {
    try {
      return ManifestFiles.read(file);
    } catch (ManifestFiles.MalformedFileException e) {
      problems.add(option + e.getMessage());
      return List.of();
    } catch (ManifestFiles.UnreadableFileException e) {
      throw new ManifestFiles.UnreadableFileException(option + e.getMessage(), e.getCause());
    }
  }

  private static List<Decision> place(Inputs inputs) {
    Scheduler scheduler = Scheduler.withDefaults();
    ClusterInventory inventory = ClusterInventory.of(inputs.clusters());
    Ledger ledger = new Ledger(Clock.fixed(OFFLINE_NOW, ZoneOffset.UTC), Duration.ofDays(1));
    List<Decision> decisions = new ArrayList<>();
    for (Graph graph : inputs.graphs()) {
      ScheduleRequest request = ScheduleRequest.of(graph, inventory).withPolicies(inputs.policies()).withLedger(ledger.snapshot());
      Decision decision = scheduler.explain(request);
      if (decision.schedulable()) {
        ledger.reserve(graph.key(), decision.reservations());
      }
      decisions.add(decision);
    }
    return decisions;
  }

  private static int exitCode(List<Decision> decisions) {
    boolean invalid = decisions.stream().anyMatch(decision -> decision.status() == Decision.Status.INVALID);
    if (invalid) {
      return RampartCtl.EXIT_INVALID;
    }
    boolean allPlaced = decisions.stream().allMatch(Decision::schedulable);
    return allPlaced ? RampartCtl.EXIT_OK : RampartCtl.EXIT_UNSCHEDULABLE;
  }
}
