package com.petuum.rampart.cli.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies an example graph to the hub of a fresh local federation, waits until it is deployed
 * or the wait runs out, and prints where each component runs.
 */
final class ExampleGraph {

  /** The example that {@code local up} applies by default. */
  static final String PIPELINE = "examples/graphs/federated/pipeline.yaml";
  /** The chart repository address written in the examples. */
  static final String EXAMPLE_REPOSITORY = "http://127.0.0.1:8879/charts";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final KubeCluster hub;
  private final Duration timeout;

  ExampleGraph(KubeCluster hub, Duration timeout) {
    this.hub = requireNonNull(hub, "hub");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** The example graph's name and its last status, and whether it became Ready in time. */
  record Outcome(String namespace, String name, boolean ready, JsonNode status) {}

  /**
   * Applies the file with its chart repository pointed at {@code repository}, creating the
   * graph's namespace first, and waits for the graph's Ready condition.
   *
   * @throws IllegalStateException with kubectl's message when the hub rejects the graph
   */
  Outcome apply(Path file, String repository) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8).replace(EXAMPLE_REPOSITORY, repository);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the example graph " + file, e);
    }
    JsonNode metadata = metadata(yaml, file);
    String namespace = metadata.path("namespace").asText();
    String name = metadata.path("name").asText();
    KubectlResult created = hub.kubectl("create", "namespace", namespace);
    if (!created.succeeded() && !created.stderr().contains("AlreadyExists")) {
      throw new IllegalStateException("Cannot create namespace " + namespace + " on the hub: " + created.stderr());
    }
    KubectlResult applied = hub.kubectlWithInput(yaml, "apply", "-f", "-");
    if (!applied.succeeded()) {
      throw new IllegalStateException("The hub rejected " + file + ": " + applied.stderr());
    }
    Instant deadline = Instant.now().plus(timeout);
    JsonNode status = null;
    while (Instant.now().isBefore(deadline)) {
      status = hub.api().get("/apis/rampart.petuum.com/v1/namespaces/" + namespace + "/rampartgraphs/" + name)
          .body().path("status");
      if (ready(status)) {
        return new Outcome(namespace, name, true, status);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Outcome(namespace, name, false, status);
  }

  /** Prints one line per component: its cluster, phase and namespace on that cluster. */
  static void print(PrintWriter out, Outcome outcome) {
    out.printf("%nGraph %s/%s: %s%n", outcome.namespace(), outcome.name(),
        outcome.status() == null ? "no status" : outcome.status().path("phase").asText("Pending"));
    out.printf("%-12s %-12s %-10s %s%n", "COMPONENT", "CLUSTER", "PHASE", "NAMESPACE");
    if (outcome.status() != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = outcome.status().path("components").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> component = it.next();
        JsonNode entry = component.getValue();
        out.printf("%-12s %-12s %-10s %s%n", component.getKey(), entry.path("cluster").asText("-"),
            entry.path("phase").asText("-"), entry.path("namespace").asText("-"));
      }
    }
  }

  private static boolean ready(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  private static JsonNode metadata(String yaml, Path file) {
    try {
      JsonNode metadata = YAML.readTree(yaml).path("metadata");
      if (metadata.path("name").asText("").isEmpty() || metadata.path("namespace").asText("").isEmpty()) {
        throw new IllegalStateException("The example graph " + file + " needs metadata.name and metadata.namespace");
      }
      return metadata;
    } catch (IOException e) {
      throw new UncheckedIOException("The example graph " + file + " is not valid YAML", e);
    }
  }
}
