package com.petuum.rampart.bench.comparison;

import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.mapping.InvalidManifestException;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs our scheduler over the comparison's inventory and workload files on one thread and prints
 * one {@code impl=rampart ...} line.
 *
 * <p>The first {@code --warmup} graphs of the workload file are scheduled untimed, the next
 * {@code --graphs} are timed one by one, from handing the request to the scheduler to the
 * returned decision (including the ledger commit in consume mode). Reading and converting the
 * files happens before the clock starts. {@code placements_per_second} is graphs decided per
 * second of timed calls, and {@code overplaced} counts placed graphs that took more than a
 * cluster's aggregate remaining capacity (consume mode only).
 *
 * <p>In consume mode at most {@code --max-reserved} graphs keep their reservations. Placing one
 * more releases the oldest after the clock stops, so a small inventory reaches a steady state
 * instead of filling up.
 */
public final class ComparisonRunner {

  private static final String PROGRAM = "bench/comparison-runner";

  private ComparisonRunner() {}

  /** Counts and latencies of one timed run. */
  record Result(
      int placed, int unschedulable, int overplaced, long[] sortedNanos, long[] sortedCpuNanos, long gcCount, long gcMillis) {

    double placementsPerSecond() {
      long total = 0;
      for (long nanos : sortedNanos) {
        total += nanos;
      }
      return total == 0 ? 0 : sortedNanos.length / (total / 1e9);
    }

    double percentileMillis(double percent) {
      return nearestRank(sortedNanos, percent) / 1e6;
    }

    double cpuPercentileMillis(double percent) {
      return nearestRank(sortedCpuNanos, percent) / 1e6;
    }

    private static long nearestRank(long[] sorted, double percent) {
      int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }

  /**
   * Schedules {@code warmup} graphs untimed and then {@code measured} graphs timed, keeping the
   * reservations of at most {@code maxReserved} graphs in consume mode.
   *
   * @throws IllegalArgumentException when the workload file has fewer than warmup + measured graphs
   */
  static Result run(
      List<MemberCluster> fileClusters, List<Graph> fileGraphs, GraphMapping mapping, CapacityModel model, CapacityMode mode,
      int warmup, int measured, int maxReserved) {
    if (fileGraphs.size() < warmup + measured) {
      throw new IllegalArgumentException("workload file has " + fileGraphs.size() + " graphs, fewer than --warmup " + warmup
          + " plus --graphs " + measured + " (generate more with ComparisonInputs --graphs)");
    }
    List<MemberCluster> clusters = new ArrayList<>();
    fileClusters.forEach(cluster -> clusters.add(model.apply(cluster)));
    ClusterInventory inventory = ClusterInventory.of(clusters);
    List<Graph> graphs = new ArrayList<>();
    fileGraphs.subList(0, warmup + measured).forEach(graph -> graphs.add(mapping.apply(graph, model)));

    Scheduler scheduler = Scheduler.withDefaults();
    Ledger ledger = new Ledger(Clock.systemUTC(), Duration.ofDays(1));
    RemainingCapacity remaining = new RemainingCapacity(fileClusters);
    ArrayDeque<Decision> reservedDecisions = new ArrayDeque<>();

    for (int i = 0; i < warmup; i++) {
      Decision decision = schedule(scheduler, ledger, inventory, mode, graphs.get(i));
      if (mode == CapacityMode.CONSUME && decision.schedulable()) {
        remaining.take(decision.reservations());
        keepReservation(decision, reservedDecisions, maxReserved, ledger, remaining);
      }
    }

    // Thread CPU time separates the scheduler's own cost from waiting for a core on a shared machine.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] nanos = new long[measured];
    long[] cpuNanos = new long[measured];
    int placed = 0;
    int overplaced = 0;
    long gcCountBefore = gcCount();
    long gcMillisBefore = gcMillis();
    for (int i = 0; i < measured; i++) {
      Graph graph = graphs.get(warmup + i);
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      Decision decision = schedule(scheduler, ledger, inventory, mode, graph);
      nanos[i] = System.nanoTime() - start;
      cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpuStart;
      if (decision.schedulable()) {
        placed++;
        if (mode == CapacityMode.CONSUME) {
          if (remaining.take(decision.reservations())) {
            overplaced++;
          }
          keepReservation(decision, reservedDecisions, maxReserved, ledger, remaining);
        }
      }
    }
    long gcCountDelta = gcCount() - gcCountBefore;
    long gcMillisDelta = gcMillis() - gcMillisBefore;
    Arrays.sort(nanos);
    Arrays.sort(cpuNanos);
    return new Result(placed, measured - placed, overplaced, nanos, cpuNanos, gcCountDelta, gcMillisDelta);
  }

  private static void keepReservation(
      Decision decision, ArrayDeque<Decision> reservedDecisions, int maxReserved, Ledger ledger, RemainingCapacity remaining) {
    reservedDecisions.addLast(decision);
    if (reservedDecisions.size() > maxReserved) {
      Decision oldest = reservedDecisions.removeFirst();
      ledger.release(oldest.graph());
      remaining.give(oldest.reservations());
    }
  }

  private static Decision schedule(Scheduler scheduler, Ledger ledger, ClusterInventory inventory, CapacityMode mode, Graph graph) {
    ScheduleRequest request = ScheduleRequest.of(graph, inventory);
    return mode == CapacityMode.CONSUME ? scheduler.scheduleAndReserve(request, ledger) : scheduler.schedule(request);
  }

  private static long gcCount() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
    }
    return count;
  }

  private static long gcMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, collector.getCollectionTime());
    }
    return millis;
  }

  /**
   * Flags: {@code --inventory FILE}, {@code --workloads FILE}, {@code --mapping graph1|graphK},
   * {@code --model aggregate|full}, {@code --capacity stateless|consume}, {@code --warmup W}
   * untimed graphs (default 200), {@code --graphs M} timed graphs (default: the rest of the file),
   * {@code --max-reserved R} graphs whose reservations are kept in consume mode (default: all).
   */
  public static void main(String[] args) throws InvalidManifestException {
    CommandLine line = CommandLine.parse(PROGRAM, args);
    line.rejectUnknown("--inventory", "--workloads", "--mapping", "--model", "--capacity", "--warmup", "--graphs", "--max-reserved");
    Path inventoryFile = Path.of(line.required("--inventory"));
    Path workloadFile = Path.of(line.required("--workloads"));
    GraphMapping mapping;
    CapacityModel model;
    CapacityMode mode;
    try {
      mapping = GraphMapping.fromFlag(line.text("--mapping", "graph1"));
      model = CapacityModel.fromFlag(line.text("--model", "aggregate"));
      mode = CapacityMode.fromFlag(line.text("--capacity", "stateless"));
    } catch (IllegalArgumentException e) {
      System.err.println(PROGRAM + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    int warmup = line.nonNegative("--warmup", 200);
    int maxReserved = line.positive("--max-reserved", Integer.MAX_VALUE);

    List<MemberCluster> clusters = ComparisonFiles.clusters(inventoryFile);
    List<Graph> graphs = ComparisonFiles.graphs(workloadFile);
    int measured = line.positive("--graphs", Math.max(1, graphs.size() - warmup));
    int components = graphs.isEmpty() ? 0 : graphs.get(0).components().size();

    Result result = run(clusters, graphs, mapping, model, mode, warmup, measured, maxReserved);
    System.out.println(String.format(Locale.ROOT,
        "impl=rampart n=%d mode=%s model=%s capacity=%s max_reserved=%s k=%d m=%d placements_per_second=%.1f p50_ms=%.3f p99_ms=%.3f"
            + " cpu_p50_ms=%.3f cpu_p99_ms=%.3f ok=%d unschedulable=%d errors=0 overplaced=%s gc_count=%d gc_ms=%d threads=1 java=%s jvm_flags=%s",
        clusters.size(), mapping.flagValue(), model.flagValue(), mode.flagValue(),
        maxReserved == Integer.MAX_VALUE ? "all" : String.valueOf(maxReserved), components, measured,
        result.placementsPerSecond(), result.percentileMillis(50), result.percentileMillis(99),
        result.cpuPercentileMillis(50), result.cpuPercentileMillis(99),
        result.placed(), result.unschedulable(), mode == CapacityMode.CONSUME ? String.valueOf(result.overplaced()) : "n/a",
        result.gcCount(), result.gcMillis(), System.getProperty("java.version"),
        String.join(",", ManagementFactory.getRuntimeMXBean().getInputArguments())));
  }
}
