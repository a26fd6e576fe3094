package com.petuum.rampart.bench.protocol;

import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.InMemoryCredentialStore;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.inventory.FixedInventorySource;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.ResourceQuantities;
import com.petuum.rampart.proto.v1.WorkKey;
import com.google.protobuf.ByteString;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub process and N simulated agents in this JVM: the real {@link HubClient} with a fixed
 * inventory and a no-op applier. Measures the hub's heap and CPU with every agent connected and
 * sending heartbeats every 5 s, then kills the hub (SIGKILL), starts it again and measures how
 * long until every agent has reconnected.
 *
 * <p>Usage: {@code FleetBenchmark [AGENTS] [STEADY_SECONDS]}, defaults 1000 and 60.
 */
public final class FleetBenchmark {

  private static final Logger log = LoggerFactory.getLogger(FleetBenchmark.class);
  private static final Pattern STATS =
      Pattern.compile("hub connected=(\\d+) heapUsedMiB=(\\d+) heapCommittedMiB=(\\d+) cpuCores=([0-9.]+)");

  private FleetBenchmark() {}

  static ClusterName clusterName(int index) {
    return new ClusterName(String.format("sim-%04d", index));
  }

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int steadySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path dir = Files.createTempDirectory("rampart-fleet-bench");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> hubLines = new CopyOnWriteArrayList<>();
    Process hub = startHub(dir, port, agents, hubLines);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    List<HubClient> clients = new ArrayList<>();
    ProcessStats fleetStats = new ProcessStats();
    try {
      waitFor(() -> Files.exists(dir.resolve("hub-ready")), Duration.ofSeconds(60), "hub start");
      HubAddress address = new HubAddress("127.0.0.1", port);
      CaPin pin = CaPin.of(Pem.decodeCertificate(Files.readString(dir.resolve("ca.crt"))));
      List<String> tokens = Files.readAllLines(dir.resolve("tokens.txt"));

      // Join with 4 threads, as many agents would join at once after a fleet install.
      long joinStart = System.nanoTime();
      List<InMemoryCredentialStore> stores = joinAll(address, pin, tokens);
      double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

      long connectStart = System.nanoTime();
      Clock clock = Clock.systemUTC();
      for (int i = 0; i < agents; i++) {
        HubClient client =
            new HubClient(
                AgentSettings.defaults(address, "bench", "v1.36.3"),
                clusterName(i),
                stores.get(i),
                new Joiner(clock, "bench"),
                new WorkStore(NoOpApplier.INSTANCE),
                new FixedInventorySource(inventory(i)),
                scheduler,
                clock,
                new Random(i));
        client.start();
        clients.add(client);
      }
      waitFor(() -> clients.stream().allMatch(HubClient::isConnected), Duration.ofMinutes(5), "all agents connected");
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      log.info("Fleet connected. agents={} joinSeconds={} connectSeconds={}", agents, format(joinSeconds), format(connectSeconds));

      // Steady state: only heartbeats every 5 s, and an inventory on change (none here).
      int linesBefore = hubLines.size();
      long fleetCpuStart = fleetStats.cpuNanos();
      long steadyStart = System.nanoTime();
      waitFor(() -> (System.nanoTime() - steadyStart) / 1e9 >= steadySeconds, Duration.ofSeconds(steadySeconds + 10), "steady window");
      double fleetCores = (fleetStats.cpuNanos() - fleetCpuStart) / (double) (System.nanoTime() - steadyStart);
      reportSteadyState(hubLines.subList(linesBefore, hubLines.size()), agents, fleetCores, fleetStats);

      // Crash the hub and start it again on the same port.
      hub.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      long crashedAt = System.nanoTime();
      Files.deleteIfExists(dir.resolve("hub-ready"));
      hub = startHub(dir, port, agents, hubLines);
      waitFor(() -> Files.exists(dir.resolve("hub-ready")), Duration.ofSeconds(60), "hub restart");
      double hubStartSeconds = (System.nanoTime() - crashedAt) / 1e9;
      waitFor(
          () -> clients.stream().allMatch(c -> c.isConnected() && c.welcomeCount() >= 2),
          Duration.ofMinutes(5),
          "all agents reconnected");
      double reconnectSeconds = (System.nanoTime() - crashedAt) / 1e9;
      log.info(
          "Fleet reconnected after a hub restart. agents={} secondsFromKill={} secondsFromHubReady={}",
          agents,
          format(reconnectSeconds),
          format(reconnectSeconds - hubStartSeconds));
    } finally {
      for (HubClient client : clients) {
        client.close();
      }
      scheduler.shutdownNow();
      hub.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void reportSteadyState(List<String> lines, int agents, double fleetCores, ProcessStats fleetStats) {
    long maxHeap = 0;
    long minHeap = Long.MAX_VALUE;
    double cpuSum = 0;
    double cpuMax = 0;
    int samples = 0;
    for (String line : lines) {
      Matcher matcher = STATS.matcher(line);
      if (!matcher.find()) {
        continue;
      }
      long heap = Long.parseLong(matcher.group(2));
      double cores = Double.parseDouble(matcher.group(4));
      maxHeap = Math.max(maxHeap, heap);
      minHeap = Math.min(minHeap, heap);
      cpuSum += cores;
      cpuMax = Math.max(cpuMax, cores);
      samples++;
    }
    log.info(
        "Hub steady state. agents={} samples={} heapUsedMiBMin={} heapUsedMiBMax={} cpuCoresMean={} cpuCoresMax={} fleetCpuCores={} fleetHeapLiveMiB={}",
        agents,
        samples,
        minHeap,
        maxHeap,
        format(samples == 0 ? 0 : cpuSum / samples),
        format(cpuMax),
        format(fleetCores),
        ProcessStats.mebibytes(fleetStats.heapLiveBytes()));
  }

  private static List<InMemoryCredentialStore> joinAll(HubAddress address, CaPin pin, List<String> tokens)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<InMemoryCredentialStore>> joins = new ArrayList<>();
      Joiner joiner = new Joiner(Clock.systemUTC(), "bench");
      for (String line : tokens) {
        String[] parts = line.split(" ");
        joins.add(
            pool.submit(
                () -> {
                  InMemoryCredentialStore store = new InMemoryCredentialStore();
                  store.save(joiner.join(address, pin, new ClusterName(parts[0]), parts[1]));
                  return store;
                }));
      }
      List<InMemoryCredentialStore> stores = new ArrayList<>();
      for (Future<InMemoryCredentialStore> join : joins) {
        stores.add(join.get(60, TimeUnit.SECONDS));
      }
      return stores;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Inventory inventory(int index) {
    return Inventory.newBuilder()
        .setAllocatable(ResourceQuantities.newBuilder().putQuantities("cpu", "64").putQuantities("memory", "256Gi"))
        .setAvailable(ResourceQuantities.newBuilder().putQuantities("cpu", Integer.toString(index % 64)).putQuantities("memory", "128Gi"))
        .setNodeCount(4)
        .putTopologyLabels("topology.rampart.petuum.com/region", "region-" + (index % 8))
        .build();
  }

  private static Process startHub(Path dir, int port, int agents, List<String> lines) throws IOException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.com.petuum.rampart.bench=info",
                "-cp",
                System.getProperty("java.class.path"),
                BenchHub.class.getName(),
                dir.toString(),
                Integer.toString(port),
                Integer.toString(agents))
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                  log.info("[hub] {}", line);
                }
              } catch (IOException e) {
                log.debug("Hub output ended: {}", e.toString());
              }
            },
            "hub-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  private static void waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static String format(double value) {
    return String.format("%.2f", value);
  }

  /** Applies nothing; the fleet benchmark delivers no work. */
  private enum NoOpApplier implements SliceApplier {
    INSTANCE;

    @Override
    public void apply(WorkKey key, long generation, ByteString sliceJson) {}

    @Override
    public void remove(WorkKey key) {}
  }
}
