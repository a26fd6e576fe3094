package com.petuum.rampart.testbed;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.petuum.rampart.testbed.process.ManagedProcess;
import com.petuum.rampart.testbed.process.ProcessLedger;
import com.petuum.rampart.testbed.zookeeper.EmbeddedZooKeeper;
import com.petuum.rampart.testbed.zookeeper.ZooKeeperEnsemble;
import com.petuum.rampart.testbed.zookeeper.ZooKeeperServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of real Kubernetes control planes on 127.0.0.1, and optionally ZooKeeper, started from
 * Go-built binaries without Docker.
 *
 * <p>Lifecycle:
 * <ul>
 *   <li>{@link Builder#start} first ends every process that an earlier run in the same folder
 *       left behind (found through pid files that also record start times, so a reused pid is
 *       never killed) and deletes its clusters, ZooKeeper data, charts and logs, then starts
 *       the clusters, at most two at a time, and waits until each serves requests, its default
 *       service account exists and its KWOK nodes are Ready.
 *   <li>{@link #close} ends every process, newest first. A JVM shutdown hook does the same when a
 *       test run is interrupted, unless the test bed was started {@linkplain Builder#detached()
 *       detached}, in which case the processes outlive this JVM and
 *       {@link #stopDetached(Path)} ends them later.
 * </ul>
 *
 * <p>Thread-safe; {@link #close} is idempotent.
 */
public final class TestBed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TestBed.class);

  /** The file a detached test bed writes so that other commands can find its clusters. */
  public static final String MERGED_KUBECONFIG = "kubeconfig";

  private final Path directory;
  private final ProcessLedger ledger;
  private final Map<String, KubeCluster> clusters;
  private final ZooKeeperServer zooKeeper;
  private final ChartRepository chartRepository;
  private final Thread shutdownHook;
  private volatile boolean closed;
  private final List<ManagedProcess> extraProcesses = new ArrayList<>();

  private TestBed(
      Path directory,
      ProcessLedger ledger,
      Map<String, KubeCluster> clusters,
      ZooKeeperServer zooKeeper,
      ChartRepository chartRepository,
      boolean detached) {
    this.directory = directory;
    this.ledger = ledger;
    this.clusters = clusters;
    this.zooKeeper = zooKeeper;
    this.chartRepository = chartRepository;
    if (detached) {
      this.shutdownHook = null;
    } else {
      this.shutdownHook = new Thread(this::stopAll, "testbed-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Starts describing a test bed; {@code runName} names its folder under {@code target/testbed}. */
  public static Builder builder(String runName) {
    return new Builder(runName);
  }

  /** Returns the folder with every cluster's files, process logs and the process ledger. */
  public Path directory() {
    return directory;
  }

  /** Returns the cluster started under {@code name}. */
  public KubeCluster cluster(String name) {
    KubeCluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new NoSuchElementException("No cluster " + name + " in this test bed; it has " + clusters.keySet());
    }
    return cluster;
  }

  /** Returns the clusters in the order they were declared. */
  public List<KubeCluster> clusters() {
    return List.copyOf(clusters.values());
  }

  /** Returns the ZooKeeper service, if one was requested. */
  public Optional<ZooKeeperServer> zooKeeper() {
    return Optional.ofNullable(zooKeeper);
  }

  /**
   * Returns the URL of the chart repository, {@code http://127.0.0.1:PORT/charts}.
   *
   * @throws IllegalStateException when the builder was not given {@link Builder#chartRepository}
   */
  public String chartRepositoryUrl() {
    checkState(chartRepository != null, "this test bed serves no charts; call chartRepository(folder) on its builder");
    return chartRepository.url();
  }

  /**
   * Writes one kubeconfig with a context per cluster, named after the cluster, and returns its
   * path. The current context is the first cluster's.
   */
  public Path writeMergedKubeconfig() {
    Path merged = directory.resolve(MERGED_KUBECONFIG);
    String sources = clusters.values().stream().map(c -> c.kubeconfig().toString()).collect(Collectors.joining(":"));
    // kubectl merges the files listed in KUBECONFIG; --flatten inlines the certificates.
    ProcessBuilder builder = new ProcessBuilder("kubectl", "config", "view", "--flatten")
        .redirectOutput(merged.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("KUBECONFIG", sources);
    try {
      int exit = builder.start().waitFor();
      checkState(exit == 0, "kubectl config view --flatten exited with %s", exit);
      return merged;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kubectl to merge kubeconfigs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while merging kubeconfigs", e);
    }
  }

  /**
   * Starts another process that belongs to this test bed, such as a hub replica or an agent: its
   * output goes to {@code logs/<name>.log}, and {@link #close} (or {@link #stopDetached}) ends it
   * with the clusters.
   */
  public ManagedProcess startProcess(String name, List<String> command, Map<String, String> environment) {
    checkState(!closed, "test bed in %s is closed", directory);
    ManagedProcess process =
        ManagedProcess.start(name, command, environment, directory.resolve("logs").resolve(name + ".log"), ledger);
    synchronized (this) {
      extraProcesses.add(process);
    }
    return process;
  }

  /** Ends every process of this test bed. Safe to call more than once. */
  @Override
  public void close() {
    stopAll();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down and runs the hook itself.
      }
    }
  }

  private synchronized void stopAll() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = extraProcesses.size() - 1; i >= 0; i--) {
      extraProcesses.get(i).stop();
    }
    List<KubeCluster> reversed = new ArrayList<>(clusters.values());
    java.util.Collections.reverse(reversed);
    for (KubeCluster cluster : reversed) {
      cluster.stop();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
    if (chartRepository != null) {
      chartRepository.close();
    }
    int leftovers = ledger.endAll();
    if (leftovers > 0) {
      log.warn("Ended processes that outlived their owners. count={} folder={}", leftovers, directory);
    }
    log.info("Test bed stopped. folder={}", directory);
  }

  /**
   * Ends every process of a detached test bed started in {@code directory}, and returns how many
   * were running.
   */
  public static int stopDetached(Path directory) {
    return stopDetached(directory, name -> false);
  }

  /**
   * Ends the processes of a detached test bed as {@link #stopDetached(Path)} does, those whose
   * names match {@code endFirst} before the others, such as the clients of the clusters.
   */
  public static int stopDetached(Path directory, Predicate<String> endFirst) {
    return new ProcessLedger(directory.resolve("processes")).endAll(endFirst);
  }

  /** Returns whether a test bed in {@code directory} still has live processes. */
  public static boolean isRunning(Path directory) {
    Path ledgerDirectory = directory.resolve("processes");
    return Files.isDirectory(ledgerDirectory) && !new ProcessLedger(ledgerDirectory).liveProcesses().isEmpty();
  }

  /** Describes the clusters and ZooKeeper to start. Not thread-safe. */
  public static final class Builder {

    private static final int PARALLEL_STARTS = 2;

    private final String runName;
    private final Map<String, ClusterSpec> specs = new LinkedHashMap<>();
    private Path baseDirectory = Path.of("target", "testbed");
    private TestBinaries binaries;
    private int zooKeeperServers;
    private boolean zooKeeperAsProcesses;
    private int zooKeeperPort;
    private boolean detached;
    private List<String> storageClasses = List.of("standard");
    private Path chartsFolder;
    private boolean routeServices;

    private Builder(String runName) {
      this.runName = requireNonNull(runName, "runName");
      checkArgument(runName.matches("[A-Za-z0-9._-]+"), "runName: %s (expected: letters, digits, '.', '_' or '-')", runName);
    }

    /** Adds a hub cluster with a port chosen at start. */
    public Builder hub(String name) {
      return hub(name, 0);
    }

    /** Adds a hub cluster whose kube-apiserver listens on {@code apiServerPort} (0: any free port). */
    public Builder hub(String name, int apiServerPort) {
      return add(new ClusterSpec(name, ClusterRole.HUB, List.of(), List.of(), apiServerPort));
    }

    /** Adds a member cluster with these KWOK nodes. */
    public Builder member(String name, KwokNode... nodes) {
      return add(new ClusterSpec(name, ClusterRole.MEMBER, List.of(nodes), storageClasses, 0));
    }

    /**
     * Sets the storage classes of members added after this call; the first is the default. Claims
     * of any of them are bound at once.
     */
    public Builder storageClasses(String... names) {
      checkArgument(names.length > 0, "storageClasses: none given (expected: at least one name)");
      this.storageClasses = List.of(names);
      return this;
    }

    /** Adds an embedded ZooKeeper server in this JVM. */
    public Builder zooKeeper() {
      this.zooKeeperServers = 1;
      this.zooKeeperAsProcesses = false;
      return this;
    }

    /**
     * Adds ZooKeeper as {@code servers} separate processes (1, 3 or 5), so that tests can stop
     * single servers. {@code clientPort} is the first server's port, or 0 for a free one.
     */
    public Builder zooKeeperProcesses(int servers, int clientPort) {
      this.zooKeeperServers = servers;
      this.zooKeeperAsProcesses = true;
      this.zooKeeperPort = clientPort;
      return this;
    }

    /**
     * Serves the charts in {@code folder} (one subfolder per chart) from a Helm chart repository
     * on 127.0.0.1; see {@link TestBed#chartRepositoryUrl()}.
     */
    public Builder chartRepository(Path folder) {
      this.chartsFolder = requireNonNull(folder, "folder");
      return this;
    }

    /**
     * Lets each cluster's apiserver reach Services that a test routes to local processes with
     * {@link KubeCluster#routeService}, such as webhooks that a Helm chart registers by Service.
     * The routing lives in this JVM, so it ends with it, also for a detached test bed.
     */
    public Builder routeServices() {
      this.routeServices = true;
      return this;
    }

    /** Uses this folder instead of {@code target/testbed}. */
    public Builder baseDirectory(Path directory) {
      this.baseDirectory = requireNonNull(directory, "directory");
      return this;
    }

    /** Uses these binaries instead of {@link TestBinaries#locate()}. */
    public Builder binaries(TestBinaries testBinaries) {
      this.binaries = requireNonNull(testBinaries, "testBinaries");
      return this;
    }

    /**
     * Lets the processes outlive this JVM: no shutdown hook ends them. Used by
     * {@code rampartctl local up}.
     */
    public Builder detached() {
      this.detached = true;
      return this;
    }

    private Builder add(ClusterSpec spec) {
      checkArgument(!specs.containsKey(spec.name()), "cluster name %s is used twice", spec.name());
      specs.put(spec.name(), spec);
      return this;
    }

    /**
     * Starts everything and waits until it is ready.
     *
     * @throws IllegalStateException naming the process and the end of its log when something
     *     fails to start; everything already started is ended first
     */
    public TestBed start() {
      checkState(!specs.isEmpty() || zooKeeperServers > 0 || chartsFolder != null,
          "nothing to start: add a hub, a member, ZooKeeper or a chart repository");
      TestBinaries testBinaries = specs.isEmpty() ? null : (binaries != null ? binaries : TestBinaries.locate());
      Path directory = baseDirectory.resolve(runName).toAbsolutePath();
      ProcessLedger ledger = new ProcessLedger(directory.resolve("processes"));
      int leftovers = ledger.endAll();
      if (leftovers > 0) {
        log.info("Ended processes of an earlier run. count={} folder={}", leftovers, directory);
      }
      deleteEarlierRunFolders(directory);

      Map<String, KubeCluster> started = new LinkedHashMap<>();
      ZooKeeperServer zooKeeper = null;
      ChartRepository chartRepository = null;
      // Until the start completes, an interrupted JVM (Ctrl-C) ends what was started so far,
      // detached or not.
      Thread startupHook = new Thread(ledger::endAll, "testbed-startup-shutdown");
      Runtime.getRuntime().addShutdownHook(startupHook);
      ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_STARTS, runnable -> {
        Thread thread = new Thread(runnable, "testbed-start");
        thread.setDaemon(true);
        return thread;
      });
      try {
        Map<String, Future<KubeCluster>> pending = new LinkedHashMap<>();
        for (ClusterSpec spec : specs.values()) {
          Path clusterDirectory = directory.resolve("clusters").resolve(spec.name());
          pending.put(spec.name(), pool.submit(
              () -> new ClusterLauncher(spec, clusterDirectory, testBinaries, ledger, routeServices).start()));
        }
        RuntimeException failure = null;
        for (Map.Entry<String, Future<KubeCluster>> entry : pending.entrySet()) {
          try {
            started.put(entry.getKey(), entry.getValue().get());
          } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r
                ? r : new IllegalStateException(e.getCause());
            if (failure == null) {
              failure = new IllegalStateException("Cluster " + entry.getKey() + " failed to start: " + cause.getMessage(), cause);
            }
          }
        }
        if (failure != null) {
          throw failure;
        }
        if (zooKeeperServers > 0) {
          Path zooKeeperDirectory = directory.resolve("zookeeper");
          zooKeeper = zooKeeperAsProcesses
              ? ZooKeeperEnsemble.start(zooKeeperDirectory, ledger, zooKeeperServers, zooKeeperPort)
              : EmbeddedZooKeeper.start(zooKeeperDirectory);
        }
        if (chartsFolder != null) {
          chartRepository = ChartRepository.start(chartsFolder, directory.resolve("charts"));
        }
        TestBed bed = new TestBed(directory, ledger, started, zooKeeper, chartRepository, detached);
        log.info("Test bed ready. folder={} clusters={}", directory, started.keySet());
        return bed;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopPartial(started, zooKeeper, chartRepository, ledger);
        throw new IllegalStateException("Interrupted while starting the test bed", e);
      } catch (RuntimeException e) {
        stopPartial(started, zooKeeper, chartRepository, ledger);
        throw e;
      } finally {
        pool.shutdownNow();
        try {
          Runtime.getRuntime().removeShutdownHook(startupHook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down and runs the hook itself.
        }
      }
    }

    private static void stopPartial(
        Map<String, KubeCluster> started, ZooKeeperServer zooKeeper, ChartRepository chartRepository, ProcessLedger ledger) {
      if (chartRepository != null) {
        chartRepository.close();
      }
      started.values().forEach(KubeCluster::stop);
      if (zooKeeper != null) {
        zooKeeper.close();
      }
      ledger.endAll();
    }

    private static void deleteEarlierRunFolders(Path directory) {
      for (String child : List.of("clusters", "zookeeper", "charts", "logs")) {
        Path folder = directory.resolve(child);
        if (!Files.exists(folder)) {
          continue;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(path);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot remove the earlier run's folder " + folder, e);
        }
      }
    }
  }

  /** Writes {@code text} to {@code file} in this test bed's folder. */
  public Path writeFile(String file, String text) {
    try {
      Path path = directory.resolve(file);
      Files.writeString(path, text, StandardCharsets.UTF_8);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + " in " + directory, e);
    }
  }
}
