package com.petuum.rampart.bench.failover;

import com.petuum.rampart.bench.federation.FederationClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures hub failover on a running local federation with two or more hub replicas
 * ({@code bin/rampartctl local up --hub-replicas 3 --zookeeper-servers 3}).
 *
 * <ol>
 *   <li>Takeovers: freezes the leader with SIGSTOP, waits until another replica has synced a
 *       newer term, resumes the old leader and waits until it notices that its term ended. It
 *       repeats this {@code --takeovers} times while an {@link EpochRecorder} records the epoch of
 *       the status writes to the benchmark's graphs and counts those whose epoch is older than one
 *       already written (stale writes). Agent messages refused for a stale epoch are counted
 *       from the agents' logs.
 *   <li>Member loss: freezes the agent of the member that runs a graph with a failover policy
 *       (toleration 5 s) and measures the time until the graph is Ready on another member.
 * </ol>
 *
 * <p>Prints one line per takeover and per member loss, then a summary. Exit code 0 when every
 * round finished and no stale write was seen, 1 otherwise, 2 for bad usage.
 */
public final class TakeoverBench {

  private static final Pattern LEADING = Pattern.compile("^(\\S+) .*Leading the hub .*epoch=(\\d+)");
  private static final Pattern SYNCED = Pattern.compile("^(\\S+) .*Synced the term; agents may connect\\. epoch=(\\d+)");
  private static final String NAMESPACE = "takeover";

  private final Path home;
  private final Path kubeconfig;
  private final Path repositoryRoot;
  private final String chartRepository;

  private TakeoverBench(Path home, Path repositoryRoot, String chartRepository) {
    this.home = home;
    this.kubeconfig = home.resolve("local/kubeconfig");
    this.repositoryRoot = repositoryRoot;
    this.chartRepository = chartRepository;
  }

  public static void main(String[] args) throws Exception {
    int takeovers = 100;
    int memberLosses = 3;
    int graphs = 5;
    String chartRepository = "http://127.0.0.1:8879/charts";
    Path home = Path.of(System.getenv().getOrDefault("RAMPART_HOME", System.getProperty("user.home") + "/.rampart"));
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--takeovers" -> takeovers = Integer.parseInt(value);
        case "--member-losses" -> memberLosses = Integer.parseInt(value);
        case "--graphs" -> graphs = Integer.parseInt(value);
        case "--chart-repository" -> chartRepository = value;
        case "--home" -> home = Path.of(value);
        default -> {
          System.err.println("error: unknown option " + args[i] + " (expected: --takeovers N, --member-losses N, "
              + "--graphs N, --chart-repository URL, --home RAMPART_HOME)");
          System.exit(2);
        }
      }
      i++;
    }
    Path root = Path.of(System.getProperty("rampart.repo.root", ".")).toAbsolutePath().normalize();
    TakeoverBench bench = new TakeoverBench(home, root, chartRepository);
    System.exit(bench.run(takeovers, memberLosses, graphs));
  }

  private int run(int takeovers, int memberLosses, int graphs) throws Exception {
    if (hubProcesses().size() < 2) {
      System.err.println("error: the local federation in " + home + " runs fewer than two hub replicas; start it with "
          + "bin/rampartctl local up --hub-replicas 3 --zookeeper-servers 3");
      return 2;
    }
    kubectl(null, "--context", "hub", "create", "namespace", NAMESPACE);
    for (int i = 0; i < graphs; i++) {
      applyRetrying(web("steady-" + i, "cpu-onprem", ""));
    }
    for (int i = 0; i < graphs; i++) {
      waitReady("steady-" + i);
    }

    EpochRecorder recorder = new EpochRecorder(FederationClients.load(kubeconfig).hub(), NAMESPACE);
    recorder.start();
    List<Duration> takeoverTimes = new ArrayList<>();
    int failed = 0;
    try {
      for (int round = 1; round <= takeovers; round++) {
        Leader leader = leader();
        int linesBefore = log(leader.process()).size();
        Instant stoppedAt = Instant.now();
        signal(leader.pid(), "STOP");
        boolean replaced;
        try {
          replaced = waitFor(Duration.ofSeconds(60), () -> leader().epoch() > leader.epoch());
        } finally {
          signal(leader.pid(), "CONT");
        }
        if (!replaced) {
          failed++;
          System.out.printf("takeover=%d result=timeout%n", round);
          continue;
        }
        Leader next = leader();
        Duration took = Duration.between(stoppedAt, next.syncedAt());
        takeoverTimes.add(took);
        boolean noticed = waitFor(Duration.ofSeconds(60), () -> log(leader.process()).stream().skip(linesBefore)
            .anyMatch(line -> line.contains("Lost leadership") || line.contains("stops deciding")));
        System.out.printf("takeover=%d from=%s epoch=%d to=%s epoch=%d loss_to_synced_ms=%d old_leader_noticed=%s%n",
            round, leader.process(), leader.epoch(), next.process(), next.epoch(), took.toMillis(), noticed);
        if (!noticed) {
          failed++;
        }
      }
    } finally {
      recorder.stop();
    }

    int writes = recorder.writes();
    int stale = recorder.staleWrites().size();
    recorder.staleWrites().forEach(line -> System.out.println("stale write: " + line));
    long refusedMessages = 0;
    for (String agent : agentProcesses()) {
      refusedMessages += log(agent).stream().filter(line -> line.contains("Ignored a message from a stale epoch")).count();
    }

    List<Duration> reschedules = new ArrayList<>();
    for (int loss = 1; loss <= memberLosses; loss++) {
      String name = "movable-" + loss;
      applyRetrying(web(name, "gpu-west, cpu-onprem", "failover: {enabled: true, tolerationSeconds: 5, mode: Graceful}"));
      waitReady(name);
      String from = field(name, "{.status.components.web.cluster}");
      long agent = pids().get("rampart-agent-" + from);
      Instant stoppedAt = Instant.now();
      signal(agent, "STOP");
      try {
        boolean moved = waitFor(Duration.ofMinutes(3), () -> !field(name, "{.status.components.web.cluster}").equals(from)
            && "True".equals(field(name, "{.status.conditions[?(@.type==\"Ready\")].status}")));
        Duration took = Duration.between(stoppedAt, Instant.now());
        if (moved) {
          reschedules.add(took);
        } else {
          failed++;
        }
        System.out.printf("member_loss=%d cluster=%s moved=%s loss_to_ready_ms=%d%n", loss, from, moved, took.toMillis());
      } finally {
        signal(agent, "CONT");
      }
      // Let the member come back as Ready before the next round.
      waitFor(Duration.ofMinutes(2), () -> kubectl(null, "--context", "hub", "get", "membercluster", from, "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").equals("True"));
    }

    System.out.printf("%nsummary takeovers=%d completed=%d loss_to_synced_ms p50=%d p99=%d max=%d%n", takeovers,
        takeoverTimes.size(), percentile(takeoverTimes, 50), percentile(takeoverTimes, 99), percentile(takeoverTimes, 100));
    System.out.printf("summary status_writes_seen=%d stale_writes=%d failed_polls=%d agent_messages_refused_as_stale=%d%n",
        writes, stale, recorder.failedPolls(), refusedMessages);
    System.out.printf("summary member_losses=%d rescheduled=%d loss_to_ready_ms p50=%d max=%d%n", memberLosses,
        reschedules.size(), percentile(reschedules, 50), percentile(reschedules, 100));
    kubectl(null, "--context", "hub", "delete", "namespace", NAMESPACE, "--wait=false");
    return failed == 0 && stale == 0 ? 0 : 1;
  }

  /** The replica that leads now: the live hub process whose log shows the highest epoch. */
  private record Leader(String process, long pid, long epoch, Instant syncedAt) {}

  private Leader leader() {
    Leader best = null;
    for (Map.Entry<String, Long> entry : hubProcesses().entrySet()) {
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
      if (epoch > 0 && !synced.equals(Instant.EPOCH) && (best == null || epoch > best.epoch())) {
        best = new Leader(entry.getKey(), entry.getValue(), epoch, synced);
      }
    }
    if (best == null) {
      return new Leader("none", -1, 0, Instant.EPOCH);
    }
    return best;
  }

  private Map<String, Long> hubProcesses() {
    Map<String, Long> hubs = new HashMap<>();
    pids().forEach((name, pid) -> {
      if (name.startsWith("rampart-hub")) {
        hubs.put(name, pid);
      }
    });
    return hubs;
  }

  private List<String> agentProcesses() {
    return pids().keySet().stream().filter(name -> name.startsWith("rampart-agent-")).toList();
  }

  private Map<String, Long> pids() {
    String status = run(null, repositoryRoot.resolve("bin/rampartctl").toString(), "local", "status");
    Map<String, Long> pids = new HashMap<>();
    status.lines().filter(line -> line.matches("\\S+\\s+\\d+")).forEach(line -> {
      String[] parts = line.trim().split("\\s+");
      pids.put(parts[0], Long.parseLong(parts[1]));
    });
    return pids;
  }

  private List<String> log(String process) {
    try {
      return Files.readAllLines(home.resolve("local/logs/" + process + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String web(String name, String clusters, String failover) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: %s, namespace: %s}
        spec:
          placement:
            clusterAffinity: {clusterNames: [%s]}
            %s
          graph:
            components:
              web:
                chart: {repo: "%s", name: serving, version: 0.1.0}
                config: {replicas: 1}
                inputs: {}
                outputs: {}
                resources: [{count: 1, requests: {cpu: 100m, memory: 128Mi}}]
            flows: {}
        """.formatted(name, NAMESPACE, clusters, failover, chartRepository);
  }

  private void applyRetrying(String yaml) {
    if (!waitFor(Duration.ofMinutes(2), () -> {
      ProcessResult result = runResult(yaml, "kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "hub",
          "apply", "-f", "-");
      return result.exitCode() == 0;
    })) {
      throw new IllegalStateException("the hub did not accept a graph within 2 minutes");
    }
  }

  private void waitReady(String name) {
    if (!waitFor(Duration.ofMinutes(3),
        () -> "True".equals(field(name, "{.status.conditions[?(@.type==\"Ready\")].status}")))) {
      throw new IllegalStateException("graph " + NAMESPACE + "/" + name + " was not Ready within 3 minutes: "
          + field(name, "{.status}"));
    }
  }

  private String field(String name, String jsonPath) {
    return kubectl(null, "--context", "hub", "get", "rampartgraph", name, "-n", NAMESPACE, "-o", "jsonpath=" + jsonPath);
  }

  private String kubectl(String stdin, String... arguments) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    return run(stdin, command.toArray(String[]::new));
  }

  private record ProcessResult(int exitCode, String stdout) {}

  private static String run(String stdin, String... command) {
    return runResult(stdin, command).stdout();
  }

  private static ProcessResult runResult(String stdin, String... command) {
    try {
      Path input = Files.createTempFile("bench", ".in");
      Files.writeString(input, stdin == null ? "" : stdin);
      Process process = new ProcessBuilder(command).redirectInput(input.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(2, TimeUnit.MINUTES);
      Files.deleteIfExists(input);
      return new ProcessResult(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void signal(long pid, String signal) {
    run(null, "kill", "-" + signal, Long.toString(pid));
  }

  /** Polls the condition every 50 ms until it is true or the timeout passes, and returns its last value. */
  private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  private static long percentile(List<Duration> values, int percent) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().map(Duration::toMillis).sorted().toList();
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
