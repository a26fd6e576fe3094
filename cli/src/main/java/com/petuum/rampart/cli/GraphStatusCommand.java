package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints where a graph's components were placed and how far each one is deployed. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a RampartGraph's status on the hub: phase, conditions, the placement decision, each component's"
          + " cluster, namespace and phase as its member reported them, and how each flow is backed.",
      "Exit codes: 0 printed, 2 bad usage, 4 no such graph, 5 the hub apiserver rejected the request or could not"
          + " be reached."
    })
final class GraphStatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin HubConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the RampartGraph.")
  String name;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Namespace of the graph (default: the context's namespace, else default).")
  String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      converter = OutputFormat.Converter.class,
      description = "Output format: text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode graph;
    String graphNamespace;
    try {
      HubConnectionOptions.Connection hub = connection.connect();
      graphNamespace = namespace != null ? namespace : hub.namespace().orElse("default");
      graph = new HubObjects(hub.client()).getGraph(graphNamespace, name);
    } catch (HubConnectionOptions.InvalidKubeconfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    } catch (HubObjects.HubRequestException e) {
      err.println("error: " + e.getMessage() + (e.notFound()
          ? "; list graphs with 'kubectl get rampartgraphs -A', or pass -n NAMESPACE" : ""));
      err.flush();
      return e.notFound() ? RampartCtl.EXIT_NOT_FOUND : RampartCtl.EXIT_HUB_ERROR;
    }

    JsonNode status = graph.path("status");
    if (output != OutputFormat.TEXT) {
      ObjectNode root = JSON.createObjectNode();
      root.put("name", name);
      root.put("namespace", graphNamespace);
      root.put("generation", graph.path("metadata").path("generation").asLong());
      root.set("status", status.isMissingNode() ? JSON.createObjectNode() : status.deepCopy());
      out.println(output.render(root));
      out.flush();
      return RampartCtl.EXIT_OK;
    }

    out.printf("Name:        %s%n", name);
    out.printf("Namespace:   %s%n", graphNamespace);
    out.printf("Phase:       %s%n", status.path("phase").asText("<none: the hub has not reconciled it yet>"));
    out.printf("Generation:  %d (observed %s)%n", graph.path("metadata").path("generation").asLong(),
        status.has("observedGeneration") ? status.path("observedGeneration").asText() : "none");
    JsonNode placement = status.path("placement");
    if (!placement.isMissingNode()) {
      out.printf("Placement:   generation %s, epoch %s%s%n", placement.path("generation").asText("?"),
          placement.path("epoch").asText("?"),
          placement.has("decidedAt") ? ", decided " + placement.path("decidedAt").asText() : "");
    }

    out.println();
    out.println("Conditions:");
    TextTable conditions = new TextTable("TYPE", "STATUS", "REASON", "MESSAGE");
    for (JsonNode condition : status.path("conditions")) {
      conditions.add(condition.path("type").asText(), condition.path("status").asText(), condition.path("reason").asText(""),
          condition.path("message").asText(""));
    }
    printIndented(conditions, out);

    out.println();
    out.println("Components:");
    TextTable components = new TextTable("COMPONENT", "CLUSTER", "NAMESPACE", "PHASE", "MESSAGE");
    for (Iterator<Map.Entry<String, JsonNode>> it = status.path("components").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> component = it.next();
      JsonNode value = component.getValue();
      String cluster = value.path("cluster").asText(placement.path("components").path(component.getKey()).path("cluster").asText(""));
      components.add(component.getKey(), cluster, value.path("namespace").asText(""), value.path("phase").asText(""),
          value.path("message").asText(""));
    }
    // An Unschedulable graph has no component status yet; list its components all the same.
    for (Iterator<String> it = graph.path("spec").path("graph").path("components").fieldNames(); it.hasNext(); ) {
      String component = it.next();
      if (!status.path("components").has(component)) {
        components.add(component, "", "", "", "not placed; see the Scheduled condition");
      }
    }
    printIndented(components, out);

    TextTable endpoints = new TextTable("COMPONENT", "ENDPOINT");
    for (Iterator<Map.Entry<String, JsonNode>> it = status.path("components").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> component = it.next();
      for (JsonNode endpoint : component.getValue().path("endpoints")) {
        endpoints.add(component.getKey(), endpoint.asText());
      }
    }
    if (!endpoints.isEmpty()) {
      out.println();
      out.println("Endpoints:");
      printIndented(endpoints, out);
    }

    if (status.path("flows").size() > 0) {
      out.println();
      out.println("Flows:");
      TextTable flows = new TextTable("FLOW", "BACKING", "CLUSTERS");
      for (Iterator<Map.Entry<String, JsonNode>> it = status.path("flows").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> flow = it.next();
        StringBuilder clusters = new StringBuilder();
        for (JsonNode cluster : flow.getValue().path("clusters")) {
          clusters.append(clusters.length() == 0 ? "" : ",").append(cluster.asText());
        }
        flows.add(flow.getKey(), flow.getValue().path("backing").asText(""), clusters.toString());
      }
      printIndented(flows, out);
    }
    out.flush();
    return RampartCtl.EXIT_OK;
  }

  private static void printIndented(TextTable table, PrintWriter out) {
    if (table.isEmpty()) {
      out.println("  <none>");
      return;
    }
    java.io.StringWriter buffer = new java.io.StringWriter();
    PrintWriter writer = new PrintWriter(buffer);
    table.print(writer);
    writer.flush();
    buffer.toString().lines().forEach(line -> out.println("  " + line));
  }
}
