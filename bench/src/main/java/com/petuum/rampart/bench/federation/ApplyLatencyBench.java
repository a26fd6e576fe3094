package com.petuum.rampart.bench.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Measures a running local federation ({@code rampartctl local up}) end to end: applies copies of
 * a graph on the hub under distinct names and reports, as p50, p90, p99 and max,
 *
 * <ul>
 *   <li>apply to Running: from the create call on the hub until every component's pods are
 *       Running on the member named in the hub graph's {@code status.components.<c>.cluster};
 *   <li>decision to applied: from the hub's {@code status.placement.decidedAt} to the
 *       {@code rampart.petuum.com/slice-applied-at} annotation of the local graph on each member
 *       that hosts a component. Both are wall-clock times of processes on this machine.
 * </ul>
 *
 * <p>It deletes every copy at the end and waits until the hub and the members no longer have
 * them. Run it with {@code bench/federation}; {@link BenchOptions#USAGE} lists the options. Exit
 * code 0 when every copy ran, 1 when any failed or timed out, 2 for invalid options.
 */
public final class ApplyLatencyBench {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ApplyLatencyBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(List.of(args), repositoryRoot());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      System.exit(run(options));
    } catch (ApiException e) {
      // Code 0 means no HTTP response at all: the federation is not running at that address.
      System.err.println("error: a Kubernetes call failed: " + (e.getCode() == 0 ? e.getCause() : "HTTP " + e.getCode()
          + " " + e.getResponseBody()) + ". Is the federation running ('bin/rampartctl local status')?");
      System.exit(1);
    }
  }

  private static int run(BenchOptions options) throws IOException, ApiException, InterruptedException {
    ObjectNode template = (ObjectNode) YAML.readTree(options.graphFile().toFile());
    String namespace = template.path("metadata").path("namespace").asText("default");
    String baseName = template.path("metadata").path("name").asText("graph");
    options.chartRepository().ifPresent(url -> template.path("spec").path("graph").path("components")
        .forEach(component -> ((ObjectNode) component.path("chart")).put("repo", url)));
    FederationClients clients = FederationClients.load(options.kubeconfig());
    BenchGraphs benchGraphs = new BenchGraphs(clients, namespace);

    ensureNamespace(clients, namespace);
    List<String> leftovers = benchGraphs.onHub();
    if (!leftovers.isEmpty()) {
      System.out.printf("Deleting %d copies an earlier run left: %s%n", leftovers.size(), leftovers);
      deleteAll(benchGraphs, leftovers, options.timeout());
    }

    System.out.printf("Applying %d copies of %s/%s from %s, %d at a time.%n",
        options.graphs(), namespace, baseName, options.graphFile(), options.concurrency());
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= options.graphs(); i++) {
      names.add(String.format("%s-lat-%03d", baseName, i));
    }
    GraphTrial trial = new GraphTrial(clients, template, options.timeout());
    List<GraphTiming> timings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(options.concurrency());
    try {
      List<Future<GraphTiming>> futures = new ArrayList<>();
      for (String name : names) {
        futures.add(executor.submit(() -> trial.run(name)));
      }
      for (int i = 0; i < names.size(); i++) {
        try {
          GraphTiming timing = futures.get(i).get();
          timings.add(timing);
          System.out.println(describe(timing));
        } catch (ExecutionException e) {
          failures.add(names.get(i) + ": " + e.getCause().getMessage());
          System.out.println(names.get(i) + " failed: " + e.getCause().getMessage());
        }
      }
    } finally {
      executor.shutdownNow();
      deleteAll(benchGraphs, names, options.timeout());
    }

    printSummary(options, timings, failures);
    return failures.isEmpty() ? 0 : 1;
  }

  private static void deleteAll(BenchGraphs benchGraphs, List<String> names, Duration timeout)
      throws ApiException, InterruptedException {
    long started = System.nanoTime();
    try {
      benchGraphs.deleteAndWait(names, timeout);
      System.out.printf("Deleted %d graphs; the hub and every member had dropped them after %d ms.%n",
          names.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    } catch (TimeoutException e) {
      System.out.println("Deletion timed out: " + e.getMessage());
    }
  }

  private static String describe(GraphTiming timing) {
    String slices = timing.decisionToApplied().entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue().map(d -> d.toMillis() + " ms").orElse("no annotation"))
        .collect(Collectors.joining(", "));
    return String.format("%s: clusters %s, apply to Running %d ms, decision to applied %s",
        timing.graph(), timing.clusters(), timing.applyToRunning().toMillis(), slices);
  }

  private static void printSummary(BenchOptions options, List<GraphTiming> timings, List<String> failures) {
    System.out.println();
    System.out.printf("graphs: %d, concurrency: %d, succeeded: %d, failed: %d%n",
        options.graphs(), options.concurrency(), timings.size(), failures.size());
    failures.forEach(failure -> System.out.println("  failed " + failure));
    if (!timings.isEmpty()) {
      System.out.println("apply to all pods Running: "
          + LatencySummary.of(timings.stream().map(GraphTiming::applyToRunning).toList()).format());
    }
    List<Duration> slices = timings.stream().flatMap(timing -> timing.measuredSlices().stream()).toList();
    long missing = timings.stream().flatMap(timing -> timing.decisionToApplied().values().stream())
        .filter(Optional::isEmpty).count();
    if (slices.isEmpty()) {
      System.out.println("decision to applied: not measured; no local graph had a " + GraphTrial.SLICE_APPLIED_AT
          + " annotation, or the hub graphs had no status.placement.decidedAt");
    } else {
      System.out.println("decision to applied (per member slice): " + LatencySummary.of(slices).format()
          + (missing > 0 ? "; " + missing + " slices without a timestamp" : ""));
    }
    System.out.printf("load average (1 min) at the end: %.2f on %d cores%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
  }

  private static void ensureNamespace(FederationClients clients, String namespace) throws ApiException {
    try {
      new CoreV1Api(clients.hub()).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root", "");
    return Path.of(root.isBlank() ? "." : root).toAbsolutePath().normalize();
  }
}
