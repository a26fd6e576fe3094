package com.petuum.rampart.scheduler.policy;

import static com.petuum.rampart.scheduler.Fixtures.GPU;
import static com.petuum.rampart.scheduler.Fixtures.graph;
import static com.petuum.rampart.scheduler.Fixtures.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.ComponentMatch;
import com.petuum.rampart.scheduler.model.ComponentRule;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.LabelSelector;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.Strategy;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {

  private static PlacementSpec strategy(Strategy strategy) {
    return new PlacementSpec(null, List.of(), List.of(), null, List.of(), strategy, null);
  }

  private static PlacementPolicy policy(String name, int priority, Map<String, String> selector, PlacementSpec spec) {
    return new PlacementPolicy("team", name, selector == null ? null : LabelSelector.matchLabels(selector), priority, spec);
  }

  @Test
  void highestPrioritySelectingPolicyWins() throws Exception {
    Graph graph = graph("g").label("tier", "prod").component("c", 1, requests("1", "1Gi", "0")).build();
    List<PlacementPolicy> policies = List.of(
        policy("b-low", 1, Map.of("tier", "prod"), strategy(Strategy.SPREAD)),
        policy("a-high", 5, Map.of("tier", "prod"), strategy(Strategy.BIN_PACK)),
        policy("z-high", 5, Map.of("tier", "prod"), strategy(Strategy.SPREAD)),
        policy("other", 9, Map.of("tier", "dev"), strategy(Strategy.SPREAD)),
        policy("no-selector", 99, null, strategy(Strategy.SPREAD)));

    ResolvedPlacement resolved = PolicyResolver.resolve(graph, policies);

    assertThat(resolved.source()).isEqualTo("policy a-high (selected by labels, priority 5)");
    assertThat(resolved.spec().strategy()).isEqualTo(Strategy.BIN_PACK);
  }

  @Test
  void policyRefMergesInlineFieldsOnTop() throws Exception {
    ClusterAffinity east = new ClusterAffinity(List.of("east"), null);
    PlacementSpec referenced = new PlacementSpec(east, List.of(), List.of(), null, List.of(), Strategy.SPREAD, null);
    Graph graph = graph("g").label("tier", "prod").component("c", 1, requests("1", "1Gi", "0"))
        .policyRef("named").placement(strategy(Strategy.BIN_PACK)).build();

    ResolvedPlacement resolved = PolicyResolver.resolve(graph, List.of(
        policy("named", 0, null, referenced), policy("selecting", 10, Map.of("tier", "prod"), strategy(Strategy.SPREAD))));

    assertThat(resolved.source()).isEqualTo("policy named (policyRef)");
    assertThat(resolved.spec().strategy()).isEqualTo(Strategy.BIN_PACK);
    assertThat(resolved.components().get("c").requiredAffinities()).containsExactly(east);
  }

  @Test
  void inlinePlacementBeatsSelectingPolicy() throws Exception {
    Graph graph = graph("g").label("tier", "prod").component("c", 1, requests("1", "1Gi", "0"))
        .placement(strategy(Strategy.SPREAD)).build();

    ResolvedPlacement resolved = PolicyResolver.resolve(graph, List.of(policy("p", 1, Map.of("tier", "prod"), strategy(Strategy.BIN_PACK))));

    assertThat(resolved.source()).isEqualTo("inline spec.placement");
    assertThat(resolved.spec().strategyOrDefault()).isEqualTo(Strategy.SPREAD);
  }

  @Test
  void defaultsWhenNothingApplies() throws Exception {
    Graph graph = graph("g").component("c", 1, requests("1", "1Gi", "0")).build();

    ResolvedPlacement resolved = PolicyResolver.resolve(graph, List.of());

    assertThat(resolved.source()).isEqualTo("defaults");
    assertThat(resolved.spec().strategyOrDefault()).isEqualTo(Strategy.BIN_PACK);
  }

  @Test
  void componentRulesMatchByResourceAndReplaceResources() throws Exception {
    ClusterAffinity a100 = new ClusterAffinity(List.of(), LabelSelector.matchLabels(Map.of("gpu", "a100")));
    List<PodSet> override = List.of(new PodSet(2, ResourceList.of(GPU, "4")));
    ComponentRule rule = new ComponentRule(new ComponentMatch(List.of(), List.of(), List.of(GPU)), a100, List.of(), override);
    PlacementSpec spec = new PlacementSpec(null, List.of(), List.of(), null, List.of(rule), null, null);
    Graph graph = graph("g")
        .component("trainer", 1, requests("1", "1Gi", "1"))
        .component("ui", 1, requests("1", "1Gi", "0"))
        .placement(spec)
        .build();

    ResolvedPlacement resolved = PolicyResolver.resolve(graph, List.of());

    assertThat(resolved.components().get("trainer").requiredAffinities()).containsExactly(a100);
    assertThat(resolved.components().get("trainer").resources()).isEqualTo(override);
    assertThat(resolved.components().get("trainer").totalRequests()).isEqualTo(ResourceList.of(GPU, "8"));
    assertThat(resolved.components().get("ui").requiredAffinities()).isEmpty();
  }
}
