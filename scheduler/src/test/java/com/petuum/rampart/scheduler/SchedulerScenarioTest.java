package com.petuum.rampart.scheduler;

import static com.petuum.rampart.scheduler.Fixtures.GPU;
import static com.petuum.rampart.scheduler.Fixtures.cluster;
import static com.petuum.rampart.scheduler.Fixtures.graph;
import static com.petuum.rampart.scheduler.Fixtures.inventory;
import static com.petuum.rampart.scheduler.Fixtures.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerScenarioTest {

  private final Scheduler scheduler = Scheduler.withDefaults();
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void placesVolumeGroupOnOneCluster() {
    ClusterInventory clusters = inventory(
        cluster("east", 2, "16", "64Gi", "4").build(),
        cluster("west", 2, "16", "64Gi", "0").build());
    Graph graph = graph("train")
        .flow("raw", FlowType.VOLUME)
        .component("loader", 1, requests("2", "4Gi", "0"), "raw")
        .component("trainer", 2, requests("4", "16Gi", "1"), "raw")
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.PLACED);
    assertThat(decision.placements()).containsExactlyEntriesOf(
        new java.util.TreeMap<>(Map.of("loader", ClusterName.of("east"), "trainer", ClusterName.of("east"))));
    assertThat(decision.groups()).hasSize(1);
    assertThat(decision.reservations().get(ClusterName.of("east")))
        .isEqualTo(ResourceList.of("cpu", "10", "memory", "36Gi", GPU, "2"));
  }

  @Test
  void competingGraphsPlaceExactlyAsManyAsFit() {
    // 2 clusters x 4 GPUs; each graph needs 3 GPUs on one node, so only 2 graphs fit.
    ClusterInventory clusters = inventory(
        cluster("a", 1, "32", "128Gi", "4").build(),
        cluster("b", 1, "32", "128Gi", "4").build());
    Ledger ledger = new Ledger(clock, Duration.ofMinutes(10));
    List<Decision> decisions = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      Graph graph = graph("g" + i).component("trainer", 1, requests("4", "8Gi", "3")).build();
      decisions.add(scheduler.scheduleAndReserve(ScheduleRequest.of(graph, clusters), ledger));
    }

    assertThat(decisions).filteredOn(Decision::schedulable).hasSize(2);
    assertThat(decisions.subList(2, 5)).allSatisfy(decision -> {
      assertThat(decision.status()).isEqualTo(Decision.Status.UNSCHEDULABLE);
      assertThat(decision.summary()).contains("0 of 2 clusters fit: 2 cluster(s) lack 3 nvidia.com/gpu in total (free: 1)");
    });
    assertThat(decisions.get(0).placements().get("trainer")).isNotEqualTo(decisions.get(1).placements().get("trainer"));
  }

  @Test
  void concurrentSchedulersNeverOverPlace() throws Exception {
    ClusterInventory clusters = inventory(
        cluster("a", 1, "32", "128Gi", "4").build(),
        cluster("b", 1, "32", "128Gi", "4").build(),
        cluster("c", 1, "32", "128Gi", "4").build());
    Ledger ledger = new Ledger(clock, Duration.ofMinutes(10));
    int graphs = 24;
    List<Decision> decisions = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < graphs; i++) {
        Graph graph = graph("g" + i).component("worker", 1, requests("1", "1Gi", "1")).build();
        futures.add(pool.submit(() -> decisions.add(scheduler.scheduleAndReserve(ScheduleRequest.of(graph, clusters), ledger))));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(decisions).hasSize(graphs);
    assertThat(decisions).filteredOn(Decision::schedulable).hasSize(12);
    Map<ClusterName, ResourceList> reserved = ledger.snapshot().reservedByCluster(null);
    assertThat(reserved.values()).allSatisfy(amount -> assertThat(amount.get(GPU)).isEqualTo(4_000L));
  }

  @Test
  void splitsGroupOverSharedStorageDomain() {
    // Neither cluster fits both 3-GPU components, but both share storage domain nfs-east.
    ClusterInventory clusters = inventory(
        cluster("east-1", 1, "16", "64Gi", "4").storageDomain("nfs-east").build(),
        cluster("east-2", 1, "16", "64Gi", "4").storageDomain("nfs-east").build(),
        cluster("west", 1, "16", "64Gi", "4").build());
    Graph graph = graph("pipeline")
        .flow("raw", FlowType.VOLUME)
        .component("prepare", 1, requests("2", "8Gi", "3"), "raw")
        .component("train", 1, requests("2", "8Gi", "3"), "raw")
        .build();

    Decision decision = scheduler.explain(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.PLACED);
    assertThat(decision.placements().values()).containsExactlyInAnyOrder(ClusterName.of("east-1"), ClusterName.of("east-2"));
    GroupOutcome group = decision.groups().get(0);
    assertThat(group.cluster()).isNull();
    assertThat(group.storageDomain()).isEqualTo("nfs-east");
    assertThat(group.feasibleClusters()).isZero();
    assertThat(decision.summary()).contains("split over storage domain nfs-east");
  }

  @Test
  void rejectsGroupThatFitsNowhereAndCannotSplit() {
    ClusterInventory clusters = inventory(
        cluster("east-1", 1, "16", "64Gi", "4").build(),
        cluster("east-2", 1, "16", "64Gi", "4").build());
    Graph graph = graph("pipeline")
        .flow("raw", FlowType.VOLUME)
        .component("prepare", 1, requests("2", "8Gi", "3"), "raw")
        .component("train", 1, requests("2", "8Gi", "3"), "raw")
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.UNSCHEDULABLE);
    assertThat(decision.placements()).isEmpty();
    assertThat(decision.summary()).contains(
        "group [prepare, train]: 0 of 2 clusters fit: 2 cluster(s) lack 6 nvidia.com/gpu in total (free: 4); "
            + "and no storage domain has room for each of its components");
  }

  @Test
  void reportsFragmentationWhenNoNodeHoldsThePod() {
    // 8 GPUs in total, but only 1 on each node.
    ClusterInventory clusters = inventory(cluster("frag", 8, "8", "32Gi", "1").build());
    Graph graph = graph("big").component("trainer", 1, requests("4", "16Gi", "2")).build();

    Decision decision = scheduler.explain(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.UNSCHEDULABLE);
    assertThat(decision.summary()).contains("0 of 1 cluster fits: 1 cluster(s) lack 2 nvidia.com/gpu on one node (largest free: 1)");
    assertThat(decision.groups().get(0).candidates().get(0).reasons())
        .containsExactly("lack 2 nvidia.com/gpu on one node (largest free: 1)");
  }

  @Test
  void taintRejectsUntilTolerated() {
    ClusterInventory clusters = inventory(
        cluster("reserved", 1, "16", "64Gi", "4").taint("gpu", "reserved", TaintEffect.NO_SCHEDULE).build());
    Graph plain = graph("plain").component("trainer", 1, requests("1", "1Gi", "1")).build();
    PlacementSpec tolerating = new PlacementSpec(
        null, List.of(), List.of(Toleration.equal("gpu", "reserved", TaintEffect.NO_SCHEDULE)), null, List.of(), null, null);
    Graph tolerant = graph("tolerant").component("trainer", 1, requests("1", "1Gi", "1")).placement(tolerating).build();

    Decision rejected = scheduler.schedule(ScheduleRequest.of(plain, clusters));
    Decision accepted = scheduler.schedule(ScheduleRequest.of(tolerant, clusters));

    assertThat(rejected.summary()).contains("1 cluster(s) had untolerated taint gpu=reserved:NoSchedule");
    assertThat(accepted.placements()).containsEntry("trainer", ClusterName.of("reserved"));
  }

  @Test
  void spreadThatCannotBeMetIsUnschedulable() {
    ClusterInventory clusters = inventory(
        cluster("east-1", 1, "16", "64Gi", "0").region("east").build(),
        cluster("east-2", 1, "16", "64Gi", "0").region("east").build(),
        cluster("west-1", 1, "16", "64Gi", "0").region("west").build());
    PlacementSpec spread = new PlacementSpec(
        null, List.of(), List.of(), new SpreadConstraint(Fixtures.REGION, 3, 0), List.of(), null, null);
    Graph graph = graph("wide")
        .component("a", 1, requests("1", "1Gi", "0"))
        .component("b", 1, requests("1", "1Gi", "0"))
        .component("c", 1, requests("1", "1Gi", "0"))
        .placement(spread)
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.UNSCHEDULABLE);
    assertThat(decision.summary()).contains(
        "spread over topology.rampart.petuum.com/region needs minDomains 3, but the clusters that fit span only 2 domain(s)");
  }

  @Test
  void spreadPlacesAcrossDomains() {
    ClusterInventory clusters = inventory(
        cluster("east-1", 1, "16", "64Gi", "0").region("east").build(),
        cluster("east-2", 1, "16", "64Gi", "0").region("east").build(),
        cluster("west-1", 1, "16", "64Gi", "0").region("west").build());
    PlacementSpec spread = new PlacementSpec(
        null, List.of(), List.of(), new SpreadConstraint(Fixtures.REGION, 2, 2), List.of(), null, null);
    Graph graph = graph("wide")
        .component("a", 1, requests("1", "1Gi", "0"))
        .component("b", 1, requests("1", "1Gi", "0"))
        .component("c", 1, requests("1", "1Gi", "0"))
        .placement(spread)
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.PLACED);
    long west = decision.placements().values().stream().filter(name -> name.value().startsWith("west")).count();
    assertThat(west).isBetween(1L, 2L);
  }

  @Test
  void stickinessKeepsRunningGraphAfterClusterAdded() {
    MemberCluster small = cluster("small", 1, "8", "32Gi", "0").build();
    Graph graph = graph("svc").component("api", 1, requests("2", "4Gi", "0")).build();
    Decision first = scheduler.schedule(ScheduleRequest.of(graph, inventory(small)));
    // A bigger cluster arrives, which the Spread strategy prefers; stickiness must keep "small".
    MemberCluster large = cluster("a-large", 1, "64", "256Gi", "0").build();
    PreviousPlacement previous = PreviousPlacement.of(first.placements(), false);
    PlacementSpec spreadStrategy = new PlacementSpec(null, List.of(), List.of(), null, List.of(),
        com.petuum.rampart.scheduler.model.Strategy.SPREAD, null);
    Graph spreading = graph("svc").component("api", 1, requests("2", "4Gi", "0")).placement(spreadStrategy).build();

    Decision withoutHistory = scheduler.schedule(ScheduleRequest.of(spreading, inventory(small, large)));
    Decision second = scheduler.schedule(ScheduleRequest.of(spreading, inventory(small, large)).withPrevious(previous));

    assertThat(first.placements()).containsEntry("api", ClusterName.of("small"));
    assertThat(withoutHistory.placements()).containsEntry("api", ClusterName.of("a-large"));
    assertThat(second.placements()).containsEntry("api", ClusterName.of("small"));
  }

  @Test
  void stickinessYieldsWhenCurrentClusterNoLongerFits() {
    MemberCluster cordoned = cluster("old", 1, "8", "32Gi", "0").cordoned().build();
    MemberCluster other = cluster("new", 1, "8", "32Gi", "0").build();
    Graph graph = graph("svc").component("api", 1, requests("2", "4Gi", "0")).build();
    PreviousPlacement previous = PreviousPlacement.of(Map.of("api", ClusterName.of("old")), true);

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, inventory(cordoned, other)).withPrevious(previous));

    assertThat(decision.placements()).containsEntry("api", ClusterName.of("new"));
  }

  @Test
  void reportedUsageKeepsGraphInPlace() {
    // The cluster reports the graph's own 6 CPUs as used, leaving 2 free.
    MemberCluster full = cluster("full", 1, "8", "32Gi", "0").used(ResourceList.of("cpu", "6", "memory", "8Gi")).build();
    MemberCluster empty = cluster("empty", 1, "8", "32Gi", "0").build();
    Graph graph = graph("svc").component("api", 1, requests("6", "8Gi", "0")).build();
    ScheduleRequest request = ScheduleRequest.of(graph, inventory(full, empty));

    Decision counted = scheduler.schedule(request.withPrevious(PreviousPlacement.of(Map.of("api", ClusterName.of("full")), true)));
    Decision notCounted = scheduler.schedule(request.withPrevious(PreviousPlacement.of(Map.of("api", ClusterName.of("full")), false)));

    assertThat(counted.placements()).containsEntry("api", ClusterName.of("full"));
    assertThat(notCounted.placements()).containsEntry("api", ClusterName.of("empty"));
  }

  @Test
  void grownUpdateNotPlacedWhereItRuns() {
    // The cluster reports the graph's 6 CPUs as used. The update requests 60, which no cluster has.
    MemberCluster full = cluster("full", 1, "8", "32Gi", "0").used(ResourceList.of("cpu", "6", "memory", "8Gi")).build();
    Graph updated = graph("svc").component("api", 1, requests("60", "8Gi", "0")).build();
    PreviousPlacement previous = PreviousPlacement.of(Map.of("api", ClusterName.of("full")), true,
        Map.of("api", ResourceList.of("cpu", "6", "memory", "8Gi")));

    Decision decision = scheduler.schedule(ScheduleRequest.of(updated, inventory(full)).withPrevious(previous));

    assertThat(decision.schedulable()).isFalse();
    assertThat(decision.placements()).isEmpty();
  }

  @Test
  void unchangedUpdateStaysWhereItRuns() {
    MemberCluster full = cluster("full", 1, "8", "32Gi", "0").used(ResourceList.of("cpu", "6", "memory", "8Gi")).build();
    Graph updated = graph("svc").component("api", 1, requests("6", "8Gi", "0")).build();
    PreviousPlacement previous = PreviousPlacement.of(Map.of("api", ClusterName.of("full")), true,
        Map.of("api", ResourceList.of("cpu", "6", "memory", "8Gi")));

    Decision decision = scheduler.schedule(ScheduleRequest.of(updated, inventory(full)).withPrevious(previous));

    assertThat(decision.placements()).containsEntry("api", ClusterName.of("full"));
  }

  @Test
  void quantitiesRoundTrip() {
    ResourceList amounts = ResourceList.of("cpu", "1500m", "memory", "16Gi", "nvidia.com/gpu", "2");

    assertThat(amounts.toQuantities()).containsEntry("cpu", "1500m").containsEntry("nvidia.com/gpu", "2");
    assertThat(ResourceList.parse("requests", amounts.toQuantities())).isEqualTo(amounts);
  }

  @Test
  void pulsarFlowNeedsCapabilityOnEveryCluster() {
    ClusterInventory clusters = inventory(
        cluster("plain", 1, "16", "64Gi", "0").build(),
        cluster("streams", 1, "16", "64Gi", "0").capability("pulsar").build());
    Graph graph = graph("events")
        .flow("events", FlowType.PULSAR)
        .component("producer", 1, requests("1", "1Gi", "0"), "events")
        .component("consumer", 1, requests("1", "1Gi", "0"), "events")
        .build();

    Decision decision = scheduler.explain(ScheduleRequest.of(graph, clusters));

    assertThat(decision.groups()).hasSize(2);
    assertThat(decision.placements().values()).containsOnly(ClusterName.of("streams"));
    assertThat(decision.groups().get(0).candidates()).anySatisfy(candidate -> {
      assertThat(candidate.cluster()).isEqualTo(ClusterName.of("plain"));
      assertThat(candidate.reasons()).containsExactly("lack capability pulsar");
    });
  }

  @Test
  void localityPrefersNeighbourCluster() {
    ClusterInventory clusters = inventory(
        cluster("a", 1, "16", "64Gi", "0").region("east").capability("pulsar").build(),
        cluster("b", 1, "16", "64Gi", "0").region("west").capability("pulsar").build());
    Graph graph = graph("events")
        .flow("events", FlowType.PULSAR)
        .component("big", 1, requests("8", "8Gi", "0"), "events")
        .component("small", 1, requests("1", "1Gi", "0"), "events")
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.placements().get("small")).isEqualTo(decision.placements().get("big"));
  }

  @Test
  void exhaustedSearchSaysSo() {
    // Spread puts the 3-CPU group on the emptier cluster "a" first, so the two 2-CPU groups no
    // longer fit. Only backtracking to "b" works, which one alternative per group forbids.
    Scheduler narrow = new Scheduler(PluginRegistry.defaults(), new SchedulerOptions(1, 10));
    ClusterInventory clusters = inventory(
        cluster("a", 1, "4", "64Gi", "0").build(),
        cluster("b", 1, "3", "64Gi", "0").build());
    PlacementSpec spreadStrategy = new PlacementSpec(null, List.of(), List.of(), null, List.of(),
        com.petuum.rampart.scheduler.model.Strategy.SPREAD, null);
    Graph graph = graph("tight")
        .component("x", 1, ResourceList.of("cpu", "3"))
        .component("y", 1, ResourceList.of("cpu", "2"))
        .component("z", 1, ResourceList.of("cpu", "2"))
        .placement(spreadStrategy)
        .build();

    Decision narrowDecision = narrow.schedule(ScheduleRequest.of(graph, clusters));
    Decision wideDecision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(narrowDecision.status()).isEqualTo(Decision.Status.SEARCH_EXHAUSTED);
    assertThat(narrowDecision.summary()).contains("a placement may still exist");
    assertThat(wideDecision.status()).isEqualTo(Decision.Status.PLACED);
    assertThat(wideDecision.placements()).containsEntry("x", ClusterName.of("b"));
  }

  @Test
  void completeSearchFailureIsUnschedulable() {
    // Each group fits alone, but together they need 5 CPUs where 4 exist.
    ClusterInventory clusters = inventory(cluster("a", 1, "4", "64Gi", "0").build());
    Graph graph = graph("tight")
        .component("x", 1, ResourceList.of("cpu", "3"))
        .component("y", 1, ResourceList.of("cpu", "2"))
        .build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, clusters));

    assertThat(decision.status()).isEqualTo(Decision.Status.UNSCHEDULABLE);
    assertThat(decision.summary()).contains(
        "group [y]: the group fits 1 cluster(s) alone, but after this graph's other groups were assigned "
            + "0 of 1 cluster fits: 1 cluster(s) lack 2 cpu in total (free: 1)");
  }

  @Test
  void missingPolicyRefIsInvalid() {
    Graph graph = graph("ref").component("a", 1, requests("1", "1Gi", "0")).policyRef("gpu-first").build();

    Decision decision = scheduler.schedule(ScheduleRequest.of(graph, inventory(cluster("a", 1, "4", "4Gi", "0").build())));

    assertThat(decision.status()).isEqualTo(Decision.Status.INVALID);
    assertThat(decision.summary()).isEqualTo(
        "spec.placement.policyRef.name: PlacementPolicy team/gpu-first not found (create it in the graph's namespace, or remove policyRef)");
  }
}
