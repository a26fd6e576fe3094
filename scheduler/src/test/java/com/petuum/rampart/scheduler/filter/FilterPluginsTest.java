package com.petuum.rampart.scheduler.filter;

import static com.petuum.rampart.scheduler.Fixtures.GPU;
import static com.petuum.rampart.scheduler.Fixtures.cluster;
import static com.petuum.rampart.scheduler.Fixtures.graph;
import static com.petuum.rampart.scheduler.Fixtures.inventory;
import static com.petuum.rampart.scheduler.Fixtures.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.Harness;
import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.ComponentPlacement;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.LabelRequirement;
import com.petuum.rampart.scheduler.model.LabelSelector;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.SelectorOperator;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FilterPluginsTest {

  private static Graph oneComponent(ResourceList request, ComponentPlacement placement) {
    return graph("g").component("c", 1, request, placement).build();
  }

  @Test
  void clusterReadyRejectsUnreadyAndCordoned() {
    Harness harness = new Harness(
        oneComponent(requests("1", "1Gi", "0"), ComponentPlacement.NONE),
        inventory(
            cluster("ok", 1, "4", "8Gi", "0").build(),
            cluster("down", 1, "4", "8Gi", "0").notReady().build(),
            cluster("both", 1, "4", "8Gi", "0").notReady().cordoned().build()));
    ClusterReadyFilter filter = new ClusterReadyFilter();

    assertThat(harness.passes(filter, "ok")).isTrue();
    assertThat(harness.passes(filter, "down")).isFalse();
    assertThat(harness.reasons(filter, "down")).containsExactly("were not Ready");
    assertThat(harness.reasons(filter, "both")).containsExactly("were not Ready", "were cordoned (spec.unschedulable)");
  }

  @Test
  void taintFilterIgnoresPreferNoSchedule() {
    Harness harness = new Harness(
        oneComponent(requests("1", "1Gi", "0"), ComponentPlacement.NONE),
        inventory(
            cluster("soft", 1, "4", "8Gi", "0").taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE).build(),
            cluster("hard", 1, "4", "8Gi", "0")
                .taint("gpu", "reserved", TaintEffect.NO_SCHEDULE)
                .taint("drain", "", TaintEffect.NO_EXECUTE)
                .build()));
    TaintTolerationFilter filter = new TaintTolerationFilter();

    assertThat(harness.passes(filter, "soft")).isTrue();
    assertThat(harness.reasons(filter, "hard"))
        .containsExactly("had untolerated taint gpu=reserved:NoSchedule", "had untolerated taint drain:NoExecute");
  }

  @Test
  void taintFilterNeedsEveryComponentToTolerate() {
    ComponentPlacement tolerant = new ComponentPlacement(null, List.of(), List.of(Toleration.exists("gpu", null)));
    Graph graph = graph("g")
        .flow("raw", FlowType.VOLUME)
        .component("a", 1, requests("1", "1Gi", "0"), tolerant, "raw")
        .component("b", 1, requests("1", "1Gi", "0"), ComponentPlacement.NONE, "raw")
        .build();
    Harness harness = new Harness(graph, inventory(cluster("hard", 1, "4", "8Gi", "0").taint("gpu", "x", TaintEffect.NO_SCHEDULE).build()));

    assertThat(harness.reasons(new TaintTolerationFilter(), "hard")).containsExactly("had untolerated taint gpu=x:NoSchedule");
  }

  @Test
  void clusterAffinityMatchesNamesAndLabels() {
    LabelSelector a100 = new LabelSelector(new TreeMap<>(Map.of("gpu", "a100")), List.of(
        new LabelRequirement("tier", SelectorOperator.NOT_IN, List.of("dev"))));
    ComponentPlacement placement = new ComponentPlacement(new ClusterAffinity(List.of("x", "y"), a100), List.of(), List.of());
    Harness harness = new Harness(
        oneComponent(requests("1", "1Gi", "0"), placement),
        inventory(
            cluster("x", 1, "4", "8Gi", "0").label("gpu", "a100").build(),
            cluster("y", 1, "4", "8Gi", "0").label("gpu", "a100").label("tier", "dev").build(),
            cluster("z", 1, "4", "8Gi", "0").label("gpu", "a100").build()));
    ClusterAffinityFilter filter = new ClusterAffinityFilter();

    assertThat(harness.passes(filter, "x")).isTrue();
    assertThat(harness.reasons(filter, "y"))
        .containsExactly("did not match cluster affinity names [x, y] and labels gpu=a100,tier notin (dev)");
    assertThat(harness.passes(filter, "z")).isFalse();
  }

  @Test
  void capabilityFilterChecksChartRequires() {
    Graph graph = graph("g").component("ray", 1, requests("1", "1Gi", "0")).chartRequires("ray", "kuberay").build();
    Harness harness = new Harness(graph, inventory(
        cluster("with", 1, "4", "8Gi", "0").capability("kuberay").build(),
        cluster("without", 1, "4", "8Gi", "0").build()));
    CapabilityFilter filter = new CapabilityFilter();

    assertThat(harness.passes(filter, "with")).isTrue();
    assertThat(harness.reasons(filter, "without")).containsExactly("lack capability kuberay");
  }

  @Test
  void spreadTopologyNeedsTheLabel() {
    PlacementSpec spread = new PlacementSpec(null, List.of(), List.of(), new SpreadConstraint("zone", 1, 0), List.of(), null, null);
    Graph graph = graph("g").component("c", 1, requests("1", "1Gi", "0")).placement(spread).build();
    Harness harness = new Harness(graph, inventory(
        cluster("labelled", 1, "4", "8Gi", "0").label("zone", "a").build(),
        cluster("bare", 1, "4", "8Gi", "0").build()));
    SpreadTopologyFilter filter = new SpreadTopologyFilter();

    assertThat(harness.passes(filter, "labelled")).isTrue();
    assertThat(harness.reasons(filter, "bare")).containsExactly("lack label zone that spread needs");
  }

  @Test
  void resourceFitReportsEveryShortTotal() {
    Harness harness = new Harness(
        oneComponent(requests("6", "8Gi", "2"), ComponentPlacement.NONE),
        inventory(
            cluster("fits", 1, "8", "16Gi", "2").build(),
            cluster("cpu-only", 1, "4", "16Gi", "0").build()));
    ResourceFitFilter filter = new ResourceFitFilter();

    assertThat(harness.passes(filter, "fits")).isTrue();
    assertThat(harness.reasons(filter, "cpu-only"))
        .containsExactly("lack 6 cpu in total (free: 4)", "lack 2 nvidia.com/gpu in total (free: 0)");
  }

  @Test
  void resourceFitSeesCapacityTakenDuringSearch() {
    Graph graph = graph("g")
        .component("a", 1, requests("6", "8Gi", "0"))
        .component("b", 1, requests("6", "8Gi", "0"))
        .build();
    Harness harness = new Harness(graph, inventory(cluster("one", 1, "8", "32Gi", "0").build()));
    ResourceFitFilter filter = new ResourceFitFilter();

    harness.state().assign(harness.unit(0), harness.cluster("one"));

    assertThat(harness.passes(filter, "one")).isFalse();
  }

  @Test
  void nodeFitReportsFragmentation() {
    Harness harness = new Harness(
        oneComponent(requests("6", "8Gi", "2"), ComponentPlacement.NONE),
        inventory(
            cluster("fits", 1, "8", "16Gi", "2").build(),
            cluster("fragmented", 4, "2", "4Gi", "1").build()));
    NodeFitFilter filter = new NodeFitFilter();

    assertThat(harness.passes(filter, "fits")).isTrue();
    assertThat(harness.reasons(filter, "fragmented")).containsExactly(
        "lack 6 cpu on one node (largest free: 2)",
        "lack 8Gi memory on one node (largest free: 4Gi)",
        "lack 2 nvidia.com/gpu on one node (largest free: 1)");
  }

  @Test
  void nodeFitNamesWholePod() {
    // One node has the CPUs, another the GPU, none both.
    var shapes = List.of(
        new com.petuum.rampart.scheduler.model.NodeShape(ResourceList.of("cpu", "8", GPU, "0"), 1),
        new com.petuum.rampart.scheduler.model.NodeShape(ResourceList.of("cpu", "1", GPU, "1"), 1));
    var split = cluster("split", 1, "9", "1Gi", "1").build()
        .withCapacity(ResourceList.of("cpu", "9", GPU, "1"), ResourceList.of("cpu", "9", GPU, "1"), shapes);
    Harness harness = new Harness(oneComponent(ResourceList.of("cpu", "4", GPU, "1"), ComponentPlacement.NONE), inventory(split));

    assertThat(harness.reasons(new NodeFitFilter(), "split"))
        .containsExactly("have no single node with {cpu: 4, nvidia.com/gpu: 1} free");
  }

  @Test
  void storageDomainFilterKeepsSplitInsideDomain() {
    Graph graph = graph("g").component("c", 1, requests("1", "1Gi", "0")).build();
    var clusters = inventory(
        cluster("inside", 1, "4", "8Gi", "0").storageDomain("nfs-east").build(),
        cluster("outside", 1, "4", "8Gi", "0").build());
    Harness harness = new Harness(graph, clusters);
    var unit = com.petuum.rampart.scheduler.framework.PlacementUnit.builder(0, 0)
        .storageDomain("nfs-east")
        .build(List.of(new com.petuum.rampart.scheduler.policy.ComponentConstraints(
            "c", List.of(), List.of(), List.of(), List.of(), new java.util.TreeSet<>())), harness.state().layout());
    StorageDomainFilter filter = new StorageDomainFilter();

    assertThat(filter.filter(unit, harness.cluster("inside"), harness.state(), com.petuum.rampart.scheduler.framework.ReasonSink.DISCARD)).isTrue();
    var sink = com.petuum.rampart.scheduler.framework.ReasonSink.collect();
    assertThat(filter.filter(unit, harness.cluster("outside"), harness.state(), sink)).isFalse();
    assertThat(sink.reasons()).extracting(com.petuum.rampart.scheduler.framework.Reason::text).containsExactly("lack storage domain nfs-east");
  }

  @Test
  void phrasesAreFixed() {
    assertThat(ClusterReadyFilter.NOT_READY).isEqualTo("were not Ready");
    assertThat(String.format(TaintTolerationFilter.UNTOLERATED_TAINT, "gpu=reserved:NoSchedule"))
        .isEqualTo("had untolerated taint gpu=reserved:NoSchedule");
    assertThat(String.format(NodeFitFilter.LACK_ON_ONE_NODE, "2", GPU)).isEqualTo("lack 2 nvidia.com/gpu on one node");
    assertThat(String.format(StorageDomainFilter.OUTSIDE_DOMAIN, "nfs-east")).isEqualTo("lack storage domain nfs-east");
  }
}
