package com.petuum.rampart.scheduler;

import static com.petuum.rampart.scheduler.Fixtures.GPU;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.LedgerSnapshot;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SchedulerPropertiesTest {

  private final Scheduler scheduler = Scheduler.withDefaults();

  /** A random inventory, graph and set of other graphs' reservations, built from one seed. */
  record Scenario(long seed, List<MemberCluster> clusters, Graph graph, LedgerSnapshot ledger) {

    static Scenario random(long seed) {
      Random random = new Random(seed);
      List<MemberCluster> clusters = new ArrayList<>();
      int clusterCount = 1 + random.nextInt(10);
      for (int i = 0; i < clusterCount; i++) {
        clusters.add(randomCluster("c" + i, random));
      }

      Fixtures.GraphBuilder graph = Fixtures.graph("g" + seed);
      graph.flow("shared", FlowType.VOLUME).flow("events", FlowType.PULSAR);
      int components = 1 + random.nextInt(7);
      for (int i = 0; i < components; i++) {
        String flow = random.nextInt(4) == 0 ? "shared" : random.nextInt(3) == 0 ? "events" : null;
        ResourceList request = Fixtures.requests(
            String.valueOf(1 + random.nextInt(8)), (1 + random.nextInt(16)) + "Gi", String.valueOf(random.nextInt(3)));
        int pods = 1 + random.nextInt(3);
        if (flow == null) {
          graph.component("part-" + i, pods, request);
        } else {
          graph.component("part-" + i, pods, request, flow);
        }
      }

      TreeMap<GraphKey, java.util.SortedMap<ClusterName, ResourceList>> reservations = new TreeMap<>();
      if (random.nextBoolean()) {
        MemberCluster target = clusters.get(random.nextInt(clusters.size()));
        reservations.put(GraphKey.of("other", "reserved"),
            new TreeMap<>(Map.of(target.name(), ResourceList.of("cpu", String.valueOf(random.nextInt(16)), GPU, "1"))));
      }
      return new Scenario(seed, clusters, graph.build(), new LedgerSnapshot(7, reservations));
    }

    ScheduleRequest request() {
      return new ScheduleRequest(graph, List.of(), ClusterInventory.of(clusters), ledger, PreviousPlacement.NONE);
    }
  }

  private static MemberCluster randomCluster(String name, Random random) {
    int nodes = 1 + random.nextInt(4);
    Fixtures.ClusterBuilder builder = Fixtures.cluster(
        name, nodes, String.valueOf(4 + random.nextInt(28)), (8 + random.nextInt(120)) + "Gi", String.valueOf(random.nextInt(5)));
    if (random.nextInt(5) == 0) {
      builder.taint("gpu", "reserved", random.nextBoolean() ? TaintEffect.NO_SCHEDULE : TaintEffect.PREFER_NO_SCHEDULE);
    }
    if (random.nextInt(8) == 0) {
      builder.notReady();
    }
    if (random.nextBoolean()) {
      builder.capability("pulsar");
    }
    if (random.nextInt(3) == 0) {
      builder.storageDomain("nfs");
    }
    builder.region(random.nextBoolean() ? "east" : "west");
    if (random.nextInt(3) == 0) {
      builder.used(ResourceList.of("cpu", String.valueOf(random.nextInt(4)), "memory", random.nextInt(8) + "Gi"));
    }
    return builder.build();
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.longs().map(Scenario::random);
  }

  @Property(tries = 300)
  void decisionIgnoresInputOrder(@ForAll("scenarios") Scenario scenario) {
    List<MemberCluster> shuffled = new ArrayList<>(scenario.clusters());
    Collections.shuffle(shuffled, new Random(scenario.seed() + 1));
    List<Component> components = new ArrayList<>(scenario.graph().components().values());
    Collections.shuffle(components, new Random(scenario.seed() + 2));
    TreeMap<String, Component> reinserted = new TreeMap<>();
    components.forEach(component -> reinserted.put(component.name(), component));
    Graph graph = scenario.graph();
    Graph reordered = new Graph(graph.key(), graph.labels(), graph.generation(), graph.placement(), graph.policyRef(), reinserted, graph.flows());

    Decision original = scheduler.explain(scenario.request());
    Decision permuted = scheduler.explain(new ScheduleRequest(
        reordered, List.of(), ClusterInventory.of(shuffled), scenario.ledger(), PreviousPlacement.NONE));

    assertThat(permuted).isEqualTo(original);
  }

  @Property(tries = 300)
  void placementStaysWithinFreeCapacity(@ForAll("scenarios") Scenario scenario) {
    Decision decision = scheduler.schedule(scenario.request());

    Map<ClusterName, ResourceList> reserved = scenario.ledger().reservedByCluster(scenario.graph().key());
    Map<ClusterName, ResourceList> used = new TreeMap<>();
    decision.placements().forEach((component, cluster) -> {
      for (PodSet pods : scenario.graph().components().get(component).resources()) {
        used.merge(cluster, pods.total(), ResourceList::plus);
      }
    });
    for (MemberCluster cluster : scenario.clusters()) {
      ResourceList taken = used.getOrDefault(cluster.name(), ResourceList.EMPTY)
          .plus(reserved.getOrDefault(cluster.name(), ResourceList.EMPTY));
      if (!used.containsKey(cluster.name())) {
        continue;
      }
      for (String resource : used.get(cluster.name()).milli().keySet()) {
        assertThat(taken.get(resource))
            .as("%s on %s", resource, cluster.name())
            .isLessThanOrEqualTo(cluster.available().get(resource));
      }
    }
  }

  @Property(tries = 300)
  void placementIsAllOrNothing(@ForAll("scenarios") Scenario scenario) {
    Decision decision = scheduler.schedule(scenario.request());

    if (decision.schedulable()) {
      assertThat(decision.placements().keySet()).isEqualTo(scenario.graph().components().keySet());
    } else {
      assertThat(decision.placements()).isEmpty();
      assertThat(decision.reservations()).isEmpty();
      assertThat(decision.summary()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void addingRoomyClusterKeepsGraphSchedulable(@ForAll("scenarios") Scenario scenario) {
    Decision before = scheduler.schedule(scenario.request());
    // A cluster that alone could hold the whole graph, with every capability and domain.
    MemberCluster roomy = Fixtures.cluster("zz-roomy", 1, "1000", "4000Gi", "100")
        .capability("pulsar").storageDomain("nfs").region("east").build();
    List<MemberCluster> more = new ArrayList<>(scenario.clusters());
    more.add(roomy);

    Decision after = scheduler.schedule(scenario.request().withInventory(ClusterInventory.of(more)));

    if (before.schedulable()) {
      assertThat(after.status()).isEqualTo(Decision.Status.PLACED);
    }
    assertThat(after.status()).isEqualTo(Decision.Status.PLACED);
  }

  @Property(tries = 200)
  void sameInputSameOutput(@ForAll("scenarios") Scenario scenario) {
    assertThat(scheduler.schedule(scenario.request())).isEqualTo(scheduler.schedule(scenario.request()));
    assertThat(scheduler.explain(scenario.request())).isEqualTo(scheduler.explain(scenario.request()));
  }
}
