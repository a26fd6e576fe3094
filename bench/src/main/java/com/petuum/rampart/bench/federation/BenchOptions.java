package com.petuum.rampart.bench.federation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Options of {@link ApplyLatencyBench}.
 *
 * @param graphs how many copies of the graph to apply, each under its own name
 * @param concurrency how many copies are in flight at once; 1 applies them one after another
 * @param graphFile the graph to copy
 * @param chartRepository the chart repository URL to put in every component, when the federation
 *     serves its charts on another port than the graph names
 * @param kubeconfig the merged kubeconfig of the local federation, with a context per cluster
 * @param timeout how long one copy may take to reach Running, and the deletion to finish
 */
record BenchOptions(
    int graphs, int concurrency, Path graphFile, Optional<String> chartRepository, Path kubeconfig, Duration timeout) {

  static final String USAGE = """
      usage: bench/federation [--graphs N] [--concurrency C] [--graph FILE] [--chart-repository URL]
                              [--kubeconfig FILE] [--timeout SECONDS]
        --graphs N          copies of the graph to apply under distinct names (default 20)
        --concurrency C     copies in flight at once (default 1: one after another)
        --graph FILE        graph to copy (default examples/graphs/federated/pipeline.yaml)
        --chart-repository URL  chart repo for every component, for a federation started with
                            --chart-port (default: the repo the graph names)
        --kubeconfig FILE   merged kubeconfig that 'rampartctl local up' wrote
                            (default $RAMPART_HOME/local/kubeconfig, else ~/.rampart/local/kubeconfig)
        --timeout SECONDS   time one copy may take to reach Running, and the final deletion (default 300)""";

  /**
   * Parses the command line; {@code repositoryRoot} anchors the default graph file.
   *
   * @throws IllegalArgumentException naming the option, the value and what is expected
   */
  static BenchOptions parse(List<String> arguments, Path repositoryRoot) {
    int graphs = 20;
    int concurrency = 1;
    Path graphFile = repositoryRoot.resolve("examples/graphs/federated/pipeline.yaml");
    Optional<String> chartRepository = Optional.empty();
    Path kubeconfig = defaultKubeconfig();
    int timeoutSeconds = 300;
    for (int i = 0; i < arguments.size(); i += 2) {
      String option = arguments.get(i);
      if (i + 1 >= arguments.size()) {
        throw new IllegalArgumentException("option " + option + " is missing its value");
      }
      String value = arguments.get(i + 1);
      switch (option) {
        case "--graphs" -> graphs = positive(option, value);
        case "--concurrency" -> concurrency = positive(option, value);
        case "--graph" -> graphFile = Path.of(value);
        case "--chart-repository" -> chartRepository = Optional.of(value);
        case "--kubeconfig" -> kubeconfig = Path.of(value);
        case "--timeout" -> timeoutSeconds = positive(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (graphs > 999) {
      throw new IllegalArgumentException("--graphs " + graphs + " is too large (expected: 1-999, so names stay short)");
    }
    if (!Files.isRegularFile(graphFile)) {
      throw new IllegalArgumentException("--graph " + graphFile + " is not a file");
    }
    if (!Files.isRegularFile(kubeconfig)) {
      throw new IllegalArgumentException("kubeconfig " + kubeconfig + " not found. Start a federation with "
          + "'bin/rampartctl local up', or pass --kubeconfig FILE");
    }
    return new BenchOptions(graphs, Math.min(concurrency, graphs), graphFile, chartRepository, kubeconfig, Duration.ofSeconds(timeoutSeconds));
  }

  /** {@code $RAMPART_HOME/local/kubeconfig}, else {@code ~/.rampart/local/kubeconfig}, as local up writes it. */
  private static Path defaultKubeconfig() {
    String home = System.getenv("RAMPART_HOME");
    Path base = home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".rampart") : Path.of(home);
    return base.resolve("local").resolve("kubeconfig");
  }

  private static int positive(String option, String value) {
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + value + " is not a number (expected: a positive integer)");
    }
    if (number < 1) {
      throw new IllegalArgumentException(option + " " + number + " is not positive (expected: 1 or more)");
    }
    return number;
  }
}
