package com.petuum.rampart.scheduler.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.scheduler.Examples;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import com.petuum.rampart.scheduler.model.Strategy;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestMapperTest {

  @Test
  void readsExampleInventoryList() throws Exception {
    List<MemberCluster> clusters = new ArrayList<>();
    for (JsonNode object : Examples.objects("inventory/heterogeneous.yaml")) {
      clusters.add(ManifestMapper.toMemberCluster(object));
    }

    assertThat(clusters).hasSize(7);
    MemberCluster a100 = clusters.get(0);
    assertThat(a100.name().value()).isEqualTo("aws-east-a100");
    assertThat(a100.ready()).isTrue();
    assertThat(a100.available()).isEqualTo(ResourceList.of("cpu", "56", "memory", "224Gi", "nvidia.com/gpu", "6"));
    assertThat(a100.freeNodeShapes()).hasSize(2);
    assertThat(a100.storageDomains().get(0).name()).isEqualTo("nfs-east");
    assertThat(clusters.get(2).taints().get(0).effect()).isEqualTo(TaintEffect.NO_SCHEDULE);
    // onprem-cpu reports no "available": allocatable minus allocated.
    assertThat(clusters.get(4).available()).isEqualTo(ResourceList.of("cpu", "96", "memory", "384Gi"));
    assertThat(clusters.get(5).unschedulable()).isTrue();
    assertThat(clusters.get(6).ready()).isFalse();
  }

  @Test
  void readsV1GraphWithPlacement() throws Exception {
    Graph graph = ManifestMapper.toGraph(Examples.objects("placement/training.yaml").get(0));

    assertThat(graph.key().toString()).isEqualTo("team-ml/training");
    assertThat(graph.labels()).containsEntry("team", "ml");
    assertThat(graph.components()).containsOnlyKeys("loader", "monitor", "trainer");
    assertThat(graph.components().get("trainer").flows()).containsExactly("events", "models", "raw");
    assertThat(graph.components().get("trainer").resources().get(0).count()).isEqualTo(2);
    assertThat(graph.flows().get("models").bindsComponents()).isFalse();
    assertThat(graph.flows().get("raw").type()).isEqualTo(FlowType.VOLUME);
  }

  @Test
  void ignoresResourcesInOlderVersions() throws Exception {
    JsonNode object = Examples.yaml("""
        apiVersion: rampart.petuum.com/v1beta1
        kind: RampartGraph
        metadata: {name: old}
        spec:
          placement: {strategy: Nonsense}
          graph:
            components:
              a: {chart: {name: x}, resources: [{count: 1, requests: {cpu: "999"}}]}
            flows: {}
        """);

    Graph graph = ManifestMapper.toGraph(object);

    assertThat(graph.key().namespace()).isEqualTo("default");
    assertThat(graph.components().get("a").resources()).isEmpty();
  }

  @Test
  void readsPolicies() throws Exception {
    List<PlacementPolicy> policies = new ArrayList<>();
    for (JsonNode object : Examples.objects("placement/policies.yaml")) {
      policies.add(ManifestMapper.toPlacementPolicy(object));
    }

    assertThat(policies).extracting(PlacementPolicy::name).containsExactly("gpu-first", "reserved-gpus", "two-regions");
    assertThat(policies.get(0).priority()).isEqualTo(10);
    assertThat(policies.get(0).spec().componentRules()).hasSize(1);
    assertThat(policies.get(0).spec().failover().enabled()).isTrue();
    assertThat(policies.get(1).graphSelector()).isNull();
    assertThat(policies.get(2).spec().spread().minDomains()).isEqualTo(2);
    assertThat(policies.get(2).spec().strategy()).isEqualTo(Strategy.SPREAD);
  }

  @Test
  void reportsEveryGraphErrorWithItsPath() {
    JsonNode object = Examples.yaml("""
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: broken, namespace: team}
        spec:
          placement:
            strategy: Tight
            preferredAffinities: [{weight: 200, labelSelector: {matchLabels: {a: b}}}]
            tolerations: [{key: gpu, operator: Maybe}]
          graph:
            components:
              a:
                inputs: {data: {type: volume, flow: missing}}
                resources: [{count: 1, requests: {cpu: 2 cores, memory: -1Gi}}]
            flows:
              raw: {type: tape}
        """);

    assertThatThrownBy(() -> ManifestMapper.toGraph(object))
        .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.errors()).containsExactly(
            "spec.graph.flows.raw.type: \"tape\" is not a flow type (expected volume, repository or pulsar)",
            "spec.graph.components.a.inputs.data.flow: flow \"missing\" not found (expected one of [])",
            "spec.graph.components.a.resources[0].requests.cpu: quantity \"2 cores\" is invalid (expected a number with an optional suffix: "
                + "m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent such as e3)",
            "spec.placement.preferredAffinities[0].weight: weight: 200 (expected 1 to 100)",
            "spec.placement.tolerations[0].operator: \"Maybe\" is not a toleration operator (expected Equal or Exists)",
            "spec.placement.strategy: \"Tight\" is not a strategy (expected BinPack or Spread)"))
        .hasMessageStartingWith("RampartGraph team/broken is invalid:");
  }

  @Test
  void rejectsAffinityThatMatchesNothing() {
    JsonNode object = Examples.yaml("""
        apiVersion: rampart.petuum.com/v1
        kind: PlacementPolicy
        metadata: {name: empty, namespace: team}
        spec:
          clusterAffinity: {clusterNames: []}
        """);

    assertThatThrownBy(() -> ManifestMapper.toPlacementPolicy(object))
        .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.errors()).containsExactly(
            "spec.clusterAffinity.clusterNames: empty list with no labelSelector matches no cluster "
                + "(expected cluster names, or remove clusterAffinity)"));
  }

  @Test
  void rejectsWrongKind() {
    JsonNode object = Examples.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}");

    assertThatThrownBy(() -> ManifestMapper.toMemberCluster(object))
        .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.errors()).containsExactly(
            "kind: \"ConfigMap\" (expected MemberCluster)",
            "apiVersion: \"v1\" (expected rampart.petuum.com/v1)"));
  }
}
