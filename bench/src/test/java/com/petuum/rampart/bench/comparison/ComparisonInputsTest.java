package com.petuum.rampart.bench.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.ScheduleRequest;
import com.petuum.rampart.scheduler.Scheduler;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonInputsTest {

  private static final int CLUSTERS = 100;
  private static final int GRAPHS = 60;
  private static final int COMPONENTS = 20;
  private static final int WARMUP = 10;

  @TempDir
  Path directory;

  @Test
  void sameSeedWritesSameBytes() throws Exception {
    List<Path> first = ComparisonInputs.write(directory.resolve("first"), CLUSTERS, GRAPHS, COMPONENTS, 7);
    List<Path> second = ComparisonInputs.write(directory.resolve("second"), CLUSTERS, GRAPHS, COMPONENTS, 7);

    assertThat(Files.readAllBytes(second.get(0))).isEqualTo(Files.readAllBytes(first.get(0)));
    assertThat(Files.readAllBytes(second.get(1))).isEqualTo(Files.readAllBytes(first.get(1)));
  }

  @Test
  void filesLoadIntoScheduler() throws Exception {
    List<Path> files = ComparisonInputs.write(directory, CLUSTERS, GRAPHS, COMPONENTS, 42);

    List<MemberCluster> clusters = ComparisonFiles.clusters(files.get(0));
    List<Graph> graphs = ComparisonFiles.graphs(files.get(1));

    assertThat(clusters).hasSize(CLUSTERS);
    assertThat(graphs).hasSize(GRAPHS);
    assertThat(graphs.get(0).components()).hasSize(COMPONENTS);
    assertThat(clusters).allSatisfy(cluster -> assertThat(cluster.ready()).isTrue());
    assertThat(clusters).allSatisfy(cluster -> assertThat(cluster.allocatable().get("pods")).isPositive());
    assertThat(clusters).anySatisfy(cluster -> assertThat(cluster.taints()).isNotEmpty());
    assertThat(clusters).anySatisfy(cluster -> assertThat(cluster.allocatable().get("nvidia.com/gpu")).isPositive());
    assertThat(clusters.stream().map(cluster -> cluster.labels().get(ComparisonInputs.REGION_LABEL)).distinct()).hasSize(8);
  }

  @Test
  void everyModeSchedulesAtLeast95Percent() throws Exception {
    List<Path> files = ComparisonInputs.write(directory, CLUSTERS, GRAPHS, COMPONENTS, 42);
    List<MemberCluster> clusters = ComparisonFiles.clusters(files.get(0));
    List<Graph> graphs = ComparisonFiles.graphs(files.get(1));
    int measured = GRAPHS - WARMUP;

    for (GraphMapping mapping : GraphMapping.values()) {
      for (CapacityModel model : CapacityModel.values()) {
        for (CapacityMode mode : CapacityMode.values()) {
          ComparisonRunner.Result result = ComparisonRunner.run(clusters, graphs, mapping, model, mode, WARMUP, measured, Integer.MAX_VALUE);
          String row = mapping + "/" + model + "/" + mode;

          assertThat(result.placed()).as(row + " placed graphs").isGreaterThanOrEqualTo((int) Math.ceil(measured * 0.95));
          assertThat(result.overplaced()).as(row + " over-placed graphs").isZero();
          assertThat(result.sortedNanos()).as(row + " latencies").hasSize(measured);
        }
      }
    }
  }

  @Test
  void reservationWindowKeepsPlacing() throws Exception {
    // 100 clusters fit fewer than 300 whole generated graphs, so keeping every reservation leaves some unplaced.
    int graphCount = 360;
    List<Path> files = ComparisonInputs.write(directory, CLUSTERS, graphCount, COMPONENTS, 42);
    List<MemberCluster> clusters = ComparisonFiles.clusters(files.get(0));
    List<Graph> graphs = ComparisonFiles.graphs(files.get(1));
    int measured = graphCount - WARMUP;

    ComparisonRunner.Result all = ComparisonRunner.run(
        clusters, graphs, GraphMapping.ONE_CLUSTER, CapacityModel.AGGREGATE, CapacityMode.CONSUME, WARMUP, measured, Integer.MAX_VALUE);
    ComparisonRunner.Result window = ComparisonRunner.run(
        clusters, graphs, GraphMapping.ONE_CLUSTER, CapacityModel.AGGREGATE, CapacityMode.CONSUME, WARMUP, measured, 50);

    assertThat(all.unschedulable()).as("graphs left unplaced when every reservation is kept").isPositive();
    assertThat(window.placed()).isGreaterThanOrEqualTo((int) Math.ceil(measured * 0.95));
    assertThat(window.overplaced()).isZero();
  }

  @Test
  void oneClusterMappingPlacesGraphTogether() throws Exception {
    List<Path> files = ComparisonInputs.write(directory, CLUSTERS, 5, COMPONENTS, 42);
    List<MemberCluster> clusters = ComparisonFiles.clusters(files.get(0));
    Graph graph = ComparisonFiles.graphs(files.get(1)).get(0);

    Graph whole = GraphMapping.ONE_CLUSTER.apply(graph, CapacityModel.AGGREGATE);
    Graph split = GraphMapping.PER_COMPONENT.apply(graph, CapacityModel.AGGREGATE);
    Graph full = GraphMapping.PER_COMPONENT.apply(graph, CapacityModel.FULL);

    assertThat(whole.components().values())
        .allSatisfy(component -> assertThat(component.flows()).contains(GraphMapping.WHOLE_GRAPH_FLOW));
    assertThat(split.flows()).isEmpty();
    assertThat(split.components().values()).allSatisfy(component -> assertThat(component.flows()).isEmpty());
    assertThat(full).isEqualTo(graph);
    Decision decision = Scheduler.withDefaults().schedule(ScheduleRequest.of(whole, ClusterInventory.of(clusters)));
    assertThat(decision.schedulable()).as(decision.summary()).isTrue();
    assertThat(decision.placements().values().stream().distinct()).hasSize(1);
  }
}
