package com.petuum.rampart.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failures of the control plane on a whole local federation with three hub replicas and a
 * three-server ZooKeeper ensemble: killed and frozen leaders, lost ZooKeeper servers, a silent
 * member under a failover policy, a cut agent and hubs that are all away. Processes are stopped
 * with real signals (SIGKILL, SIGSTOP, SIGCONT), and every stopped process is resumed after each
 * test, also when it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HighAvailabilityTest {

  /** The hub's ZooKeeper session timeout; a leader that dies is replaced after it. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Pattern LEADING = Pattern.compile("^(\\S+) .*Leading the hub .*epoch=(\\d+)");
  private static final Pattern METRICS_ADDRESS =
      Pattern.compile("Metrics and health endpoints serving\\. address=(\\S+)");
  // The Prometheus text format prints the gauge as "1.0"; the group keeps the integer part.
  private static final Pattern LEADER_GAUGE = Pattern.compile("(?m)^rampart_leader(?:\\{[^}]*\\})? (\\d+)(?:\\.0)?$");
  private static final Pattern SYNCED = Pattern.compile("^(\\S+) .*Synced the term; agents may connect\\. epoch=(\\d+)");

  private Path home;
  private int chartPort;
  private Kubectl kubectl;
  private final List<Long> stopped = new ArrayList<>();

  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("RAMPART_HOME", home.toString());
    environment.put("RAMPART_TESTBED_BIN", System.getProperty("rampart.testbed.bin", ""));
    return environment;
  }

  @BeforeAll
  void startFederation() throws Exception {
    home = Files.createTempDirectory("rampart-ha");
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      chartPort = socket.getLocalPort();
    }
    CliProcess.Result up = CliProcess.run(environment(), 600, "local", "up", "--no-example", "--hub-replicas", "3",
        "--zookeeper-servers", "3", "--chart-port", Integer.toString(chartPort));
    assertThat(up.exitCode()).as(up.stderr()).isZero();
    kubectl = new Kubectl(home.resolve("local/kubeconfig"));
    kubectl.ok("--context", "hub", "create", "namespace", "ha");
  }

  @AfterEach
  void resumeStopped() {
    for (long pid : stopped) {
      signal(pid, "CONT");
    }
    stopped.clear();
  }

  @AfterAll
  void stopFederation() {
    if (home != null) {
      CliProcess.run(environment(), 180, "local", "down");
    }
  }

  @Test
  @Order(1)
  void killedLeaderIsReplacedAndEveryGraphIsPlacedOnce() {
    Leader old = leader();
    Map<String, String> decidedBeforeKill = new HashMap<>();
    Instant killedAt = null;
    for (int i = 0; i < 8; i++) {
      applyRetrying(web("web-" + i, "cpu-onprem, gpu-west", ""));
      if (i == 3) {
        await().atMost(WAIT).until(() -> !field("web-0", "{.status.placement.decidedAt}").isEmpty());
        for (int j = 0; j <= 3; j++) {
          decidedBeforeKill.put("web-" + j, field("web-" + j, "{.status.placement.decidedAt}"));
        }
        killedAt = Instant.now();
        signal(old.pid(), "KILL");
      }
    }
    for (int i = 0; i < 8; i++) {
      waitReady("web-" + i);
    }

    Leader next = leader();
    assertThat(next.pid()).isNotEqualTo(old.pid());
    assertThat(next.epoch()).isGreaterThan(old.epoch());
    // The new leader could decide once it had synced its term.
    assertThat(Duration.between(killedAt, next.syncedAt()))
        .isLessThanOrEqualTo(SESSION_TIMEOUT.plusSeconds(2));
    decidedBeforeKill.forEach((name, decidedAt) -> {
      if (!decidedAt.isEmpty()) {
        assertThat(field(name, "{.status.placement.decidedAt}")).as("placement of %s", name).isEqualTo(decidedAt);
      }
    });
    for (int i = 0; i < 8; i++) {
      String name = "web-" + i;
      long holders = List.of("gpu-east", "gpu-west", "cpu-onprem").stream()
          .filter(member -> localGraphs(member).contains("ha/" + name)).count();
      assertThat(holders).as("members holding %s", name).isEqualTo(1);
    }
  }

  @Test
  @Order(2)
  void frozenLeaderWritesNothingAfterItsTermEnds() throws Exception {
    Leader frozen = leader();
    Path events = home.resolve("epochs.txt");
    Process watch = new ProcessBuilder("kubectl", "--kubeconfig", home.resolve("local/kubeconfig").toString(),
        "--context", "hub", "get", "rampartgraphs", "-n", "ha", "--watch", "--output-watch-events",
        "-o", "jsonpath={.object.metadata.name} {.object.status.epoch}{\"\\n\"}")
        .redirectOutput(events.toFile()).redirectErrorStream(true).start();
    try {
      signal(frozen.pid(), "STOP");
      stopped.add(frozen.pid());
      await().atMost(SESSION_TIMEOUT.multipliedBy(4)).until(() -> leader().epoch() > frozen.epoch());
      Leader next = leader();
      for (int i = 0; i < 3; i++) {
        kubectl.ok("--context", "hub", "patch", "rampartgraph", "web-" + i, "-n", "ha", "--type", "merge",
            "-p", "{\"spec\":{\"graph\":{\"components\":{\"web\":{\"config\":{\"replicas\":2}}}}}}");
      }
      for (int i = 0; i < 3; i++) {
        waitReady("web-" + i);
      }

      signal(frozen.pid(), "CONT");
      stopped.remove(frozen.pid());
      // The resumed replica notices that its term ended, from ZooKeeper or from its fence.
      await().atMost(WAIT).until(() -> log(frozen.process()).stream().anyMatch(line ->
          line.contains("Lost leadership") || line.contains("The fence refused a write")
              || line.contains("stops deciding")));
      applyRetrying(web("after-freeze", "cpu-onprem", ""));
      waitReady("after-freeze");
      assertThat(leader().pid()).isEqualTo(next.pid());
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
    long highest = 0;
    List<String> stale = new ArrayList<>();
    for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
      String[] parts = line.trim().split("\\s+");
      // Each line is "NAME EPOCH"; a graph without a hub-written status has no epoch.
      if (parts.length < 2 || !parts[1].matches("\\d+")) {
        continue;
      }
      long epoch = Long.parseLong(parts[1]);
      if (epoch < highest) {
        stale.add(line);
      }
      highest = Math.max(highest, epoch);
    }
    assertThat(highest).isGreaterThan(frozen.epoch());
    assertThat(stale).as("status writes with an epoch older than one already written").isEmpty();
  }

  @Test
  @Order(3)
  void zooKeeperLossPausesSchedulingAndLeavesWorkloadsRunning() {
    Map<String, Long> pids = pids();
    signal(pids.get("zookeeper-3"), "STOP");
    stopped.add(pids.get("zookeeper-3"));
    // If the stopped server led the ensemble, the other two notice only after syncLimit ticks and
    // then elect a new leader, dropping their clients meanwhile. Stopping them before that
    // election ends would test nothing, so wait until they have a quorum of their own.
    await().atMost(WAIT).until(() ->
        Stream.of(zooKeeperMode(1), zooKeeperMode(2)).sorted().toList().equals(List.of("follower", "leader")));
    applyRetrying(web("one-zookeeper-down", "cpu-onprem", ""));
    waitReady("one-zookeeper-down");

    signal(pids.get("zookeeper-1"), "STOP");
    stopped.add(pids.get("zookeeper-1"));
    signal(pids.get("zookeeper-2"), "STOP");
    stopped.add(pids.get("zookeeper-2"));
    // Without a quorum no replica may go on leading, so each replica's gauge, read over HTTP, must drop to 0.
    await().atMost(SESSION_TIMEOUT.multipliedBy(4)).untilAsserted(() ->
        assertThat(leaderGauges().values()).as("rampart_leader of each live hub replica").isNotEmpty()
            .containsOnly("0"));
    applyRetrying(web("no-zookeeper", "cpu-onprem", ""));
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() ->
        field("no-zookeeper", "{.status.phase}").isEmpty());
    assertThat(podPhases(clusterOf("web-0"), "ha-web-0-web")).isNotEmpty().containsOnly("Running");

    resumeStopped();
    waitReady("no-zookeeper");
  }

  @Test
  @Order(4)
  void silentMemberLosesOnlyGraphsWithFailover() {
    applyRetrying(web("movable", "gpu-west, cpu-onprem",
        "failover: {enabled: true, tolerationSeconds: 5, mode: Graceful}"));
    waitReady("movable");
    String first = clusterOf("movable");
    String second = first.equals("gpu-west") ? "cpu-onprem" : "gpu-west";
    applyRetrying(web("fixed", first, ""));
    waitReady("fixed");

    long agent = pids().get("rampart-agent-" + first);
    Instant cut = Instant.now();
    signal(agent, "STOP");
    stopped.add(agent);

    await().atMost(Duration.ofSeconds(5 + 60)).untilAsserted(() -> {
      assertThat(clusterOf("movable")).isEqualTo(second);
      assertThat(podPhases(second, "ha-movable-web")).containsOnly("Running");
    });
    assertThat(clusterOf("fixed")).isEqualTo(first);
    assertThat(field("fixed", "{.status.conditions[?(@.type==\"Degraded\")].reason}")).isEqualTo("ClusterNotReady");

    // The cut agent misses an update of its graph and converges once it is back.
    kubectl.ok("--context", "hub", "patch", "rampartgraph", "fixed", "-n", "ha", "--type", "merge",
        "-p", "{\"spec\":{\"graph\":{\"components\":{\"web\":{\"config\":{\"replicas\":2}}}}}}");
    // For the rest of the 60 s cut, the update cannot reach the member.
    Duration rest = Duration.ofSeconds(60).minus(Duration.between(cut, Instant.now()));
    if (!rest.isNegative() && !rest.isZero()) {
      await().during(rest).atMost(rest.plusSeconds(10)).untilAsserted(() ->
          assertThat(field("fixed", "{.status.components.web.observedGeneration}")).isEqualTo("1"));
    }
    signal(agent, "CONT");
    stopped.remove(agent);

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(field("fixed", "{.status.components.web.observedGeneration}")).isEqualTo("2");
      assertThat(field("fixed", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
      assertThat(podPhases(first, "ha-fixed-web")).containsExactly("Running", "Running");
      // The returning member dropped the graph that moved away while it was cut off.
      assertThat(localGraphs(first)).doesNotContain("ha/movable");
    });
    assertThat(clusterOf("movable")).isEqualTo(second);
  }

  @Test
  @Order(5)
  void agentsKeepReconcilingWhileEveryHubIsAway() {
    String cluster = clusterOf("web-0");
    String placedBefore = field("movable", "{.status.placement.decidedAt}");
    List<Long> hubs = pids().entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("rampart-hub")).map(Map.Entry::getValue).toList();
    for (long hub : hubs) {
      signal(hub, "STOP");
      stopped.add(hub);
    }

    // Without any hub, the member's controller puts back a release and workload removed by hand.
    kubectl.ok("--context", cluster, "delete", "secrets", "-n", "ha-web-0-web", "-l", "owner=helm,name=component");
    kubectl.ok("--context", cluster, "delete", "deployments", "--all", "-n", "ha-web-0-web");
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      assertThat(podPhases(cluster, "ha-web-0-web")).isNotEmpty().containsOnly("Running");
      assertThat(kubectl.ok("--context", cluster, "get", "secrets", "-n", "ha-web-0-web", "-l",
          "owner=helm,name=component", "-o", "name")).isNotBlank();
    });
    // Twice the failover toleration with no hub at all: the workloads keep running.
    String movableCluster = clusterOf("movable");
    await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(podPhases(movableCluster, "ha-movable-web")).isNotEmpty().containsOnly("Running"));

    resumeStopped();
    await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(field("movable", "{.status.placement.decidedAt}")).isEqualTo(placedBefore));
  }

  /** The replica that leads now: the live hub process whose log shows the highest epoch. */
  private record Leader(String process, long pid, long epoch, Instant syncedAt) {}

  private Leader leader() {
    Map<String, Long> pids = pids();
    Leader best = null;
    for (Map.Entry<String, Long> entry : pids.entrySet()) {
      if (!entry.getKey().startsWith("rampart-hub") || !ProcessHandle.of(entry.getValue()).map(ProcessHandle::isAlive)
          .orElse(false)) {
        continue;
      }
      long epoch = 0;
      Instant synced = Instant.EPOCH;
      for (String line : log(entry.getKey())) {
        Matcher leading = LEADING.matcher(line);
        if (leading.find()) {
          epoch = Math.max(epoch, Long.parseLong(leading.group(2)));
        }
        Matcher sync = SYNCED.matcher(line);
        if (sync.find() && Long.parseLong(sync.group(2)) == epoch) {
          synced = OffsetDateTime.parse(sync.group(1)).toInstant();
        }
      }
      if (epoch > 0 && (best == null || epoch > best.epoch())) {
        best = new Leader(entry.getKey(), entry.getValue(), epoch, synced);
      }
    }
    assertThat(best).as("a hub replica that leads").isNotNull();
    return best;
  }

  private List<String> log(String process) {
    try {
      return Files.readAllLines(home.resolve("local/logs/" + process + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Long> pids() {
    CliProcess.Result status = CliProcess.run(environment(), 60, "local", "status");
    Map<String, Long> pids = new HashMap<>();
    status.stdout().lines().filter(line -> line.matches("\\S+\\s+\\d+\\s+Running")).forEach(line -> {
      String[] parts = line.trim().split("\\s+");
      pids.put(parts[0], Long.parseLong(parts[1]));
    });
    return pids;
  }

  private static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns the {@code Mode} that ZooKeeper server {@code id} reports to {@code srvr}, or "" if it does not reply. */
  private String zooKeeperMode(int id) {
    try {
      int port = Integer.parseInt(Files.readAllLines(home.resolve("local/zookeeper/server-" + id + "/zoo.cfg")).stream()
          .filter(line -> line.startsWith("clientPort=")).findFirst().orElseThrow().substring("clientPort=".length()));
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
        socket.setSoTimeout(2_000);
        socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
        String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        Matcher mode = Pattern.compile("(?m)^Mode: (\\S+)").matcher(reply);
        return mode.find() ? mode.group(1) : "";
      }
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Returns the value of {@code rampart_leader} on the metrics endpoint of each live hub replica,
   * by process name. A replica whose endpoint does not reply gets "unreachable".
   */
  private Map<String, String> leaderGauges() {
    Map<String, String> gauges = new HashMap<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (Map.Entry<String, Long> entry : pids().entrySet()) {
      if (!entry.getKey().startsWith("rampart-hub") || !ProcessHandle.of(entry.getValue()).map(ProcessHandle::isAlive)
          .orElse(false)) {
        continue;
      }
      String address = log(entry.getKey()).stream().map(METRICS_ADDRESS::matcher).filter(Matcher::find)
          .map(matcher -> matcher.group(1)).reduce((first, last) -> last).orElseThrow();
      String value = "unreachable";
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher gauge = LEADER_GAUGE.matcher(response.body());
        if (response.statusCode() == 200 && gauge.find()) {
          value = gauge.group(1);
        }
      } catch (IOException e) {
        // The replica is reported as unreachable, and the caller decides whether that is acceptable.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      gauges.put(entry.getKey(), value);
    }
    return gauges;
  }

  /** Applies a graph, retrying while no hub replica serves the webhooks, as during a takeover. */
  private void applyRetrying(String yaml) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
        kubectl.run(yaml, "--context", "hub", "apply", "-f", "-").succeeded());
  }

  private String web(String name, String clusters, String failover) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: %s, namespace: ha}
        spec:
          placement:
            clusterAffinity: {clusterNames: [%s]}
            %s
          graph:
            components:
              web:
                chart: {repo: "http://127.0.0.1:%d/charts", name: serving, version: 0.1.0}
                config: {replicas: 1}
                inputs: {}
                outputs: {}
                resources: [{count: 1, requests: {cpu: 100m, memory: 128Mi}}]
            flows: {}
        """.formatted(name, clusters, failover, chartPort);
  }

  private void waitReady(String name) {
    Kubectl.Result result = kubectl.run(null, "--context", "hub", "wait", "--for=condition=Ready", "rampartgraph/" + name,
        "-n", "ha", "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(result.exitCode()).as("kubectl wait for %s: %s%nstatus: %s", name, result.stderr(),
        field(name, "{.status}")).isZero();
  }

  private String field(String name, String jsonPath) {
    Kubectl.Result result = kubectl.run(null, "--context", "hub", "get", "rampartgraph", name, "-n", "ha", "-o",
        "jsonpath=" + jsonPath);
    return result.succeeded() ? result.stdout() : "";
  }

  private String clusterOf(String name) {
    return field(name, "{.status.components.web.cluster}");
  }

  private List<String> podPhases(String cluster, String namespace) {
    return words(kubectl.ok("--context", cluster, "get", "pods", "-n", namespace, "-o",
        "jsonpath={.items[*].status.phase}"));
  }

  private List<String> localGraphs(String cluster) {
    return words(kubectl.ok("--context", cluster, "get", "rampartgraphs", "-A", "-o",
        "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}"));
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }
}
