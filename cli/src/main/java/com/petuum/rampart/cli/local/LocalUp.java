package com.petuum.rampart.cli.local;

import com.petuum.rampart.cli.RampartCtl;
import com.petuum.rampart.common.logging.LogFormat;
import com.petuum.rampart.common.logging.LoggingOptions;
import com.petuum.rampart.testbed.ChartRepositoryMain;
import com.petuum.rampart.testbed.ClusterRole;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.TestBinaries;
import com.petuum.rampart.testbed.zookeeper.ZooKeeperServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts the local federation and leaves it running after the command returns. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local federation on 127.0.0.1 and leaves it running: a hub cluster, three member "
          + "clusters with different node shapes (gpu-east, gpu-west, cpu-onprem), ZooKeeper, the hub, and an "
          + "agent per member that joins the hub, and a Helm chart repository with the example charts "
          + "(http://127.0.0.1:8879/charts by default). Then it applies the example pipeline to the hub and "
          + "prints where each component runs.",
      "The first run builds the Kubernetes binaries from Go modules (several minutes); later runs reuse them."
    })
public final class LocalUp implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--hub-port", paramLabel = "PORT",
      description = "Port of the hub's kube-apiserver on 127.0.0.1 (default: any free port).")
  int hubPort;

  @Option(names = "--zookeeper-port", paramLabel = "PORT",
      description = "Port of ZooKeeper on 127.0.0.1 (default: any free port).")
  int zooKeeperPort;

  @Option(names = "--chart-port", paramLabel = "PORT",
      description = "Port of the Helm chart repository with the example charts on 127.0.0.1 (default: "
          + ChartRepositoryMain.DEFAULT_PORT + ", the port the example graphs use).")
  int chartPort = ChartRepositoryMain.DEFAULT_PORT;

  @Option(names = "--binaries", paramLabel = "FOLDER",
      description = "Folder with etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok "
          + "(default: build them with testbed/bin-build/build.sh).")
  Path binaries;

  @Option(names = "--hub-replicas", paramLabel = "N", defaultValue = "1",
      description = "Hub replicas to run; they elect a leader through ZooKeeper, and agents know every replica "
          + "(default: ${DEFAULT-VALUE}; at most 5).")
  int hubReplicas;

  @Option(names = "--zookeeper-servers", paramLabel = "N", defaultValue = "1",
      description = "ZooKeeper servers to run as one ensemble: 1 or 3 (default: ${DEFAULT-VALUE}).")
  int zooKeeperServers;

  @Option(names = "--zookeeper-session-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "The hubs' ZooKeeper session timeout, about how long a takeover after a lost leader takes "
          + "(default: ${DEFAULT-VALUE}; 1 to 10 with the local ZooKeeper).")
  int sessionTimeoutSeconds;

  @Option(names = "--example", paramLabel = "FILE", defaultValue = ExampleGraph.PIPELINE,
      description = "Graph to apply to the hub once the federation runs; its chart repository "
          + ExampleGraph.EXAMPLE_REPOSITORY + " is pointed at the local one (default: ${DEFAULT-VALUE}).")
  Path example;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      converter = LoggingOptions.FormatConverter.class,
      description = "Format of the hub and agent logs under logs/: text or json (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(names = "--no-example", description = "Apply no graph; only start the federation.")
  boolean noExample;

  @Option(names = "--example-timeout", paramLabel = "SECONDS", defaultValue = "240",
      description = "How long to wait for the example graph to become Ready (default: ${DEFAULT-VALUE}).")
  long exampleTimeoutSeconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path home = LocalFederation.home();
    Path directory = LocalFederation.directory(home);

    if (chartPort < 1 || chartPort > 65535) {
      err.println("error: --chart-port " + chartPort + " is out of range (expected: 1-65535; default "
          + ChartRepositoryMain.DEFAULT_PORT + ").");
      return RampartCtl.EXIT_USAGE;
    }
    for (var port : new int[] {hubPort, zooKeeperPort}) {
      if (port < 0 || port > 65535) {
        err.println("error: port " + port + " is out of range (expected: 1-65535, or omit the option for a free port).");
        return RampartCtl.EXIT_USAGE;
      }
    }
    if (hubReplicas < 1 || hubReplicas > 5) {
      err.println("error: --hub-replicas " + hubReplicas + " is out of range (expected: 1 to 5).");
      return RampartCtl.EXIT_USAGE;
    }
    if (zooKeeperServers != 1 && zooKeeperServers != 3) {
      err.println("error: --zookeeper-servers " + zooKeeperServers + " is not supported (expected: 1, or 3 for an "
          + "ensemble that survives the loss of one server).");
      return RampartCtl.EXIT_USAGE;
    }
    if (sessionTimeoutSeconds < 1 || sessionTimeoutSeconds > 10) {
      err.println("error: --zookeeper-session-timeout " + sessionTimeoutSeconds + " is out of range (expected: 1 to 10 "
          + "seconds; the local ZooKeeper's 500 ms tick allows at most 10).");
      return RampartCtl.EXIT_USAGE;
    }
    if (exampleTimeoutSeconds < 1) {
      err.println("error: --example-timeout " + exampleTimeoutSeconds + " is not positive (expected: seconds, 1 or more).");
      return RampartCtl.EXIT_USAGE;
    }
    Path exampleFile = example.isAbsolute() ? example : repositoryRoot().resolve(example);
    if (!noExample && !Files.isReadable(exampleFile)) {
      err.println("error: --example " + example + " is not a readable file (resolved to " + exampleFile
          + "); give a graph file, or --no-example.");
      return RampartCtl.EXIT_USAGE;
    }
    if (TestBed.isRunning(directory)) {
      err.println("error: a local federation is already running (files in " + directory + ").");
      err.println("Use it as it is (bin/rampartctl local status), or stop it first with: bin/rampartctl local down");
      return RampartCtl.EXIT_USAGE;
    }
    for (var port : new int[] {hubPort, zooKeeperPort}) {
      if (port != 0 && Ports.inUse(port)) {
        err.println("error: port " + port + " on 127.0.0.1 is in use. Stop the process that holds it, "
            + "or choose another port (or omit the option for a free one).");
        return RampartCtl.EXIT_USAGE;
      }
    }
    if (chartPort == hubPort || chartPort == zooKeeperPort) {
      err.println("error: --chart-port " + chartPort + " is also given to --hub-port or --zookeeper-port; "
          + "choose a different port for each.");
      return RampartCtl.EXIT_USAGE;
    }
    if (Ports.inUseByListener(chartPort)) {
      err.println("error: port " + chartPort + " on 127.0.0.1 is in use, so the chart repository cannot serve there. "
          + "Stop the process that holds it, or choose another port with --chart-port PORT "
          + "(graphs you apply yourself then need that port in their chart repo).");
      return RampartCtl.EXIT_USAGE;
    }

    TestBinaries testBinaries;
    try {
      testBinaries = BinaryResolver.resolve(binaries);
    } catch (BinaryResolver.UnavailableException e) {
      err.println("error: " + e.getMessage());
      return RampartCtl.EXIT_USAGE;
    }

    Instant started = Instant.now();
    out.println("Starting the local federation (files in " + directory + ")...");
    out.flush();
    TestBed bed;
    try {
      bed = LocalFederation.describe(TestBed.builder(LocalFederation.RUN_NAME).baseDirectory(home), hubPort)
          .zooKeeperProcesses(zooKeeperServers, zooKeeperPort)
          .binaries(testBinaries)
          .detached()
          .start();
    } catch (IllegalStateException e) {
      err.println("error: the local federation failed to start; everything it started was stopped.");
      err.println(e.getMessage());
      return RampartCtl.EXIT_USAGE;
    }
    String chartRepositoryUrl;
    try {
      chartRepositoryUrl = LocalChartRepository.start(
          bed, System.getProperty("java.class.path"), repositoryRoot().resolve("examples/charts"), chartPort);
    } catch (RuntimeException e) {
      bed.close();
      err.println("error: the chart repository failed to start; everything was stopped.");
      err.println(e.getMessage());
      return RampartCtl.EXIT_USAGE;
    }
    LocalControlPlane.Started controlPlane;
    try {
      String zooKeeper = bed.zooKeeper().orElseThrow().connectString();
      List<KubeCluster> members = bed.clusters().stream()
          .filter(cluster -> cluster.spec().role() == ClusterRole.MEMBER).toList();
      controlPlane = new LocalControlPlane(
          bed, repositoryRoot(), System.getProperty("java.class.path"), zooKeeper, hubReplicas, sessionTimeoutSeconds,
          logFormat)
          .start(bed.cluster(LocalFederation.HUB), members);
    } catch (RuntimeException e) {
      bed.close();
      err.println("error: the hub or an agent failed to start; everything was stopped.");
      err.println(e.getMessage());
      return RampartCtl.EXIT_USAGE;
    }
    Path kubeconfig = bed.writeMergedKubeconfig();
    printSummary(out, bed, controlPlane, chartRepositoryUrl, kubeconfig, Duration.between(started, Instant.now()));
    if (noExample) {
      return RampartCtl.EXIT_OK;
    }
    return applyExample(out, err, bed.cluster(LocalFederation.HUB), chartRepositoryUrl);
  }

  /**
   * Applies the example graph and prints where its components run. The federation keeps running
   * whatever happens to the example, so a failure here exits 1, not 2.
   */
  private int applyExample(PrintWriter out, PrintWriter err, KubeCluster hub, String chartRepositoryUrl) {
    Path file = example.isAbsolute() ? example : repositoryRoot().resolve(example);
    out.printf("%nApplying %s to the hub and waiting up to %d s for it to be Ready...%n",
        repositoryRoot().relativize(file.toAbsolutePath().normalize()), exampleTimeoutSeconds);
    out.flush();
    ExampleGraph.Outcome outcome;
    try {
      outcome = new ExampleGraph(hub, Duration.ofSeconds(exampleTimeoutSeconds)).apply(file, chartRepositoryUrl);
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      err.println("The federation keeps running; stop it with: bin/rampartctl local down");
      return RampartCtl.EXIT_INVALID;
    }
    ExampleGraph.print(out, outcome);
    String target = "rampartgraph/" + outcome.name() + " -n " + outcome.namespace();
    out.printf("%nContinue with kubectl:%n");
    out.printf("  kubectl --context hub get rampartgraphs -A%n");
    out.printf("  kubectl --context hub describe %s%n", target);
    out.printf("  kubectl --context hub wait --for=condition=Ready %s%n", target);
    out.flush();
    if (!outcome.ready()) {
      err.printf("warning: %s/%s was not Ready after %d s; see its status and events with the describe command "
          + "above.%n", outcome.namespace(), outcome.name(), exampleTimeoutSeconds);
      err.flush();
      return RampartCtl.EXIT_INVALID;
    }
    return RampartCtl.EXIT_OK;
  }

  private static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root", "");
    return Path.of(root.isBlank() ? "." : root).toAbsolutePath().normalize();
  }

  private static void printSummary(
      PrintWriter out, TestBed bed, LocalControlPlane.Started controlPlane, String chartRepositoryUrl,
      Path kubeconfig, Duration took) {
    out.printf("Local federation is running (started in %d s).%n%n", took.toSeconds());
    out.printf("%-12s %-7s %-26s %s%n", "CLUSTER", "ROLE", "API SERVER", "NODES");
    for (KubeCluster cluster : bed.clusters()) {
      out.printf("%-12s %-7s %-26s %d%n", cluster.name(), cluster.spec().role().name().toLowerCase(),
          cluster.serverUrl(), cluster.spec().nodes().size());
    }
    bed.zooKeeper().map(ZooKeeperServer::connectString)
        .ifPresent(connect -> out.printf("%nZooKeeper: %s%n", connect));
    out.printf("Hub agent endpoint: %s; joined member clusters: %s%n", controlPlane.hubAddress(),
        String.join(", ", controlPlane.members()));
    out.printf("Chart repository: %s (the charts in examples/charts)%n", chartRepositoryUrl);
    out.printf("%nUse the clusters with kubectl; each context is named after its cluster:%n");
    out.printf("  export KUBECONFIG=%s%n", kubeconfig);
    out.printf("  kubectl --context hub get memberclusters%n");
    out.printf("  kubectl --context gpu-east get nodes%n");
    out.printf("Stop everything with: bin/rampartctl local down%n");
    out.flush();
  }
}
