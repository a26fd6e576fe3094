package com.petuum.rampart.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@code rampartctl local up|status|down} through bin/rampartctl, as the README does. */
class LocalFederationCliTest {

  private static final long UP_TIMEOUT_SECONDS = 600;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("RAMPART_HOME", home.toString());
    environment.put("RAMPART_TESTBED_BIN", System.getProperty("rampart.testbed.bin", ""));
    return environment;
  }

  @AfterEach
  void stopFederation() {
    CliProcess.run(environment(), 120, "local", "down");
  }

  @Test
  void upServesClustersAndDownStopsAll() throws Exception {
    // Another federation on this machine may hold the default chart port 8879; the example graph
    // is covered by the lifecycle test.
    CliProcess.Result up = CliProcess.run(environment(), UP_TIMEOUT_SECONDS, "local", "up", "--no-example",
        "--chart-port", Integer.toString(freePort()), "--log-format", "json");

    assertThat(up.exitCode()).as(up.stderr()).isZero();
    assertThat(up.stdout()).contains("Local federation is running", "gpu-east", "gpu-west", "cpu-onprem", "ZooKeeper: 127.0.0.1:");
    Path kubeconfig = home.resolve("local/kubeconfig");
    assertThat(kubectl(kubeconfig, "--context", "gpu-east", "get", "nodes", "-o", "name"))
        .containsExactly("node/a100-0", "node/a100-1");
    assertThat(kubectl(kubeconfig, "--context", "cpu-onprem", "get", "nodes", "-o", "name")).hasSize(3);
    assertThat(kubectl(kubeconfig, "--context", "hub", "get", "namespace", "default", "-o", "name"))
        .containsExactly("namespace/default");
    // Every member's agent joined the hub and reported its capacity.
    assertThat(kubectl(kubeconfig, "--context", "hub", "get", "memberclusters", "-o",
        "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"))
        .containsExactlyInAnyOrder("cpu-onprem=True", "gpu-east=True", "gpu-west=True");
    assertThat(kubectl(kubeconfig, "--context", "hub", "get", "membercluster", "gpu-east", "-o",
        "jsonpath={.status.capacity.allocatable.nvidia\\.com/gpu}"))
        .containsExactly("16");

    // --log-format json reaches the hub and the agents: every line is one JSON object, and lines
    // about a cluster carry it as a top-level field.
    List<JsonNode> hubLog = jsonLines(home.resolve("local/logs/rampart-hub.log"));
    assertThat(hubLog).isNotEmpty().allSatisfy(line -> assertThat(line.path("level").asText()).isNotEmpty());
    assertThat(hubLog).anySatisfy(line -> {
      assertThat(line.path("message").asText()).startsWith("Agent connected.");
      assertThat(line.path("cluster").asText()).isEqualTo("gpu-east");
    });
    List<JsonNode> agentLog = jsonLines(home.resolve("local/logs/rampart-agent-gpu-west.log"));
    assertThat(agentLog).isNotEmpty().allSatisfy(line -> assertThat(line.path("cluster").asText()).isEqualTo("gpu-west"));

    CliProcess.Result second = CliProcess.run(environment(), 120, "local", "up");
    assertThat(second.exitCode()).isEqualTo(2);
    assertThat(second.stderr()).contains("a local federation is already running", "rampartctl local down");

    CliProcess.Result status = CliProcess.run(environment(), 120, "local", "status");
    assertThat(status.exitCode()).isZero();
    List<Long> pids = status.stdout().lines()
        .filter(line -> line.matches("\\S+\\s+\\d+\\s+Running"))
        .map(line -> Long.parseLong(line.trim().split("\\s+")[1]))
        .toList();
    // The hub cluster runs 3 processes, each member 5, ZooKeeper 1, the hub replica 1, each
    // member's agent 1 and the chart repository 1.
    assertThat(pids).hasSize(24);

    // A process that dies is listed as Exited, and the status exits 1 with the way out.
    long agent = status.stdout().lines().filter(line -> line.startsWith("rampart-agent-gpu-west "))
        .map(line -> Long.parseLong(line.trim().split("\\s+")[1])).findFirst().orElseThrow();
    ProcessHandle.of(agent).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(agent).map(ProcessHandle::isAlive).orElse(false)
        .equals(false));
    CliProcess.Result degraded = CliProcess.run(environment(), 120, "local", "status");
    assertThat(degraded.exitCode()).isEqualTo(1);
    assertThat(degraded.stdout().lines())
        .anyMatch(line -> line.matches("rampart-agent-gpu-west\\s+" + agent + "\\s+Exited"));
    assertThat(degraded.stderr()).contains("warning: 1 of 24 processes exited: rampart-agent-gpu-west.",
        "local down && bin/rampartctl local up");

    CliProcess.Result down = CliProcess.run(environment(), 120, "local", "down");
    assertThat(down.exitCode()).isZero();
    assertThat(down.stdout()).contains("Stopped the local federation: 23 processes.");
    // The processes outlived the JVM that started them, so init reaps them; that can lag.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pids).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %s", pid).isFalse()));
    assertThat(CliProcess.run(environment(), 120, "local", "status").exitCode()).isEqualTo(1);
  }

  private static List<JsonNode> jsonLines(Path log) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void unknownOptionIsUsageError() {
    CliProcess.Result result = CliProcess.run(environment(), 120, "local", "up", "--members=9");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("Unknown option: '--members=9'");
  }

  @Test
  void hubPortInUseIsRejected() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CliProcess.Result result =
          CliProcess.run(environment(), 120, "local", "up", "--hub-port", Integer.toString(taken.getLocalPort()));

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.stderr()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
    }
    assertThat(CliProcess.run(environment(), 120, "local", "status").exitCode()).isEqualTo(1);
  }

  @Test
  void missingGoToolchainIsReported() {
    Map<String, String> environment = environment();
    environment.remove("RAMPART_TESTBED_BIN");
    environment.put("RAMPART_TESTBED_CACHE", home.resolve("empty-cache").toString());
    // Keep java and kubectl reachable but not go.
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    environment.put("PATH", javaBin + ":/usr/bin:/bin");

    CliProcess.Result result = CliProcess.run(environment, 120, "local", "up");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("the Go toolchain is missing", "Install Go 1.26 or newer");
    assertThat(CliProcess.run(environment(), 120, "local", "status").exitCode()).isEqualTo(1);
  }

  private static List<String> kubectl(Path kubeconfig, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
    return output.lines().toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
