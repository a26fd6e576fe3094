package com.petuum.rampart.bench.scheduler;

import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.model.Graph;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Load harness: schedules graphs one after another on one thread, as the hub's scheduling loop
 * does, and prints throughput and latency.
 *
 * <p>Each graph goes through {@link Scheduler#scheduleAndReserve} against a real ledger; the
 * oldest reservation is released once the held graphs have 1,000 components between them, so the
 * ledger stays at a steady size and the inventory does not fill up. Latency is per graph, from request to committed decision.
 *
 * <p>Flags: {@code --clusters N} (default 1000), {@code --components K} (default 20),
 * {@code --graphs G} measured graphs (default 2000), {@code --warmup W} unmeasured graphs first
 * (default 1000), {@code --seed S}. The last three lines printed are
 * {@code placements_per_second} (components placed per second), {@code p50_ms} and {@code p99_ms}.
 */
public final class SchedulerLoad {

  /** Components whose reservations stay held, so that each run keeps about the same share of the inventory reserved. */
  private static final int HELD_COMPONENTS = 1000;

  private SchedulerLoad() {}

  public static void main(String[] args) {
    int clusters = 1000;
    int components = 20;
    int graphs = 2000;
    int warmup = 1000;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        usage("flag " + flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--clusters" -> clusters = positive(flag, value);
        case "--components" -> components = positive(flag, value);
        case "--graphs" -> graphs = positive(flag, value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default -> usage("unknown flag " + flag);
      }
    }
    run(clusters, components, graphs, warmup, seed);
  }

  private static int positive(String flag, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Falls through to the usage message.
    }
    usage(flag + ": \"" + value + "\" (expected a positive integer)");
    return 0;
  }

  private static void usage(String problem) {
    System.err.println("scheduler load: " + problem);
    System.err.println("usage: bench/scheduler [--clusters N] [--components K] [--graphs G] [--warmup W] [--seed S]");
    System.exit(2);
  }

  private static void run(int clusterCount, int componentCount, int graphCount, int warmup, long seed) {
    ClusterInventory inventory = ClusterInventory.of(Workload.clusters(clusterCount, seed));
    List<Graph> pool = Workload.graphs(200, componentCount, seed + 1);
    Scheduler scheduler = Scheduler.withDefaults();
    Ledger ledger = new Ledger(Clock.systemUTC(), Duration.ofHours(1));
    ArrayDeque<Graph> reservedGraphs = new ArrayDeque<>();

    for (int i = 0; i < warmup; i++) {
      schedule(scheduler, ledger, reservedGraphs, inventory, pool.get(i % pool.size()));
    }

    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] latencies = new long[graphCount];
    long[] cpuTimes = new long[graphCount];
    long placedComponents = 0;
    int unplaced = 0;
    long start = System.nanoTime();
    for (int i = 0; i < graphCount; i++) {
      Graph graph = pool.get(i % pool.size());
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long before = System.nanoTime();
      Decision decision = schedule(scheduler, ledger, reservedGraphs, inventory, graph);
      latencies[i] = System.nanoTime() - before;
      cpuTimes[i] = threads.getCurrentThreadCpuTime() - cpuBefore;
      if (decision.schedulable()) {
        placedComponents += decision.placements().size();
      } else {
        unplaced++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    Arrays.sort(latencies);
    Arrays.sort(cpuTimes);
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf("clusters=%d components_per_graph=%d graphs=%d unplaced_graphs=%d cores=%d load_average=%.1f%n",
        clusterCount, componentCount, graphCount, unplaced, Runtime.getRuntime().availableProcessors(), load);
    // Thread CPU time separates the scheduler's own cost from waiting for a core on a busy machine.
    System.out.printf("cpu_p50_ms=%.3f cpu_p99_ms=%.3f%n", percentile(cpuTimes, 50) / 1e6, percentile(cpuTimes, 99) / 1e6);
    System.out.printf("graphs_per_second=%.1f%n", graphCount / seconds);
    System.out.printf("placements_per_second=%.0f%n", placedComponents / seconds);
    System.out.printf("p50_ms=%.3f%n", percentile(latencies, 50) / 1e6);
    System.out.printf("p99_ms=%.3f%n", percentile(latencies, 99) / 1e6);
  }

  private static Decision schedule(Scheduler scheduler, Ledger ledger, ArrayDeque<Graph> reservedGraphs, ClusterInventory inventory, Graph graph) {
    // The pool repeats graphs; a graph placed again replaces its own reservation.
    Decision decision = scheduler.scheduleAndReserve(ScheduleRequest.of(graph, inventory), ledger);
    if (decision.schedulable()) {
      reservedGraphs.remove(graph);
      reservedGraphs.addLast(graph);
      if (reservedGraphs.size() > Math.max(1, HELD_COMPONENTS / graph.components().size())) {
        ledger.release(reservedGraphs.removeFirst().key());
      }
    }
    return decision;
  }

  private static long percentile(long[] sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
