package com.petuum.rampart.bench.scheduler;

import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.Graph;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of one {@link Scheduler#schedule} call, without a ledger, over the cluster and
 * component counts of the load harness. Run with
 * {@code java -cp 'bench/target/rampart-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' org.openjdk.jmh.Main SchedulerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class SchedulerBenchmark {

  @Param({"100", "1000", "5000"})
  public int clusters;

  @Param({"5", "20", "100"})
  public int components;

  private ClusterInventory inventory;
  private List<Graph> graphs;
  private Scheduler scheduler;
  private int next;

  @Setup
  public void setUp() {
    inventory = ClusterInventory.of(Workload.clusters(clusters, 42));
    graphs = Workload.graphs(64, components, 43);
    scheduler = Scheduler.withDefaults();
  }

  @Benchmark
  public Decision schedule() {
    Graph graph = graphs.get(next++ & 63);
    return scheduler.schedule(ScheduleRequest.of(graph, inventory));
  }
}
