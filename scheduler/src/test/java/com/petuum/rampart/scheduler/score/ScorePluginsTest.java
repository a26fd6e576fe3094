package com.petuum.rampart.scheduler.score;

import static com.petuum.rampart.scheduler.Fixtures.cluster;
import static com.petuum.rampart.scheduler.Fixtures.graph;
import static com.petuum.rampart.scheduler.Fixtures.inventory;
import static com.petuum.rampart.scheduler.Fixtures.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.Harness;
import com.petuum.rampart.scheduler.model.ComponentPlacement;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.LabelSelector;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.Strategy;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorePluginsTest {

  @Test
  void preferredAffinitySumsMatchedWeights() {
    ComponentPlacement placement = new ComponentPlacement(null, List.of(
        new PreferredAffinity(30, LabelSelector.matchLabels(Map.of("gpu", "a100"))),
        new PreferredAffinity(10, LabelSelector.matchLabels(Map.of("cloud", "aws")))), List.of());
    Graph graph = graph("g").component("c", 1, requests("1", "1Gi", "0"), placement).build();
    Harness harness = new Harness(graph, inventory(
        cluster("both", 1, "4", "8Gi", "0").label("gpu", "a100").label("cloud", "aws").build(),
        cluster("gpu", 1, "4", "8Gi", "0").label("gpu", "a100").build(),
        cluster("none", 1, "4", "8Gi", "0").build()));
    PreferredAffinityScore score = new PreferredAffinityScore();

    assertThat(harness.score(score, 0, "both")).isEqualTo(100);
    assertThat(harness.score(score, 0, "gpu")).isEqualTo(75);
    assertThat(harness.score(score, 0, "none")).isZero();
  }

  @Test
  void capacityStrategyFollowsStrategy() {
    var clusters = inventory(
        cluster("busy", 1, "10", "10Gi", "0").used(ResourceList.of("cpu", "6", "memory", "6Gi")).build(),
        cluster("idle", 1, "10", "10Gi", "0").build());
    Graph binPack = graph("g").component("c", 1, requests("2", "2Gi", "0")).build();
    Graph spread = graph("g").component("c", 1, requests("2", "2Gi", "0"))
        .placement(new PlacementSpec(null, List.of(), List.of(), null, List.of(), Strategy.SPREAD, null)).build();
    CapacityStrategyScore score = new CapacityStrategyScore();

    Harness packing = new Harness(binPack, clusters);
    Harness spreading = new Harness(spread, clusters);

    assertThat(packing.score(score, 0, "busy")).isEqualTo(80);
    assertThat(packing.score(score, 0, "idle")).isEqualTo(20);
    assertThat(spreading.score(score, 0, "busy")).isEqualTo(20);
    assertThat(spreading.score(score, 0, "idle")).isEqualTo(80);
  }

  @Test
  void localityScoresAssignedNeighbours() {
    Graph graph = graph("g")
        .flow("events", FlowType.PULSAR)
        .component("a", 1, requests("1", "1Gi", "0"), "events")
        .component("b", 1, requests("1", "1Gi", "0"), "events")
        .build();
    Harness harness = new Harness(graph, inventory(
        cluster("east-1", 1, "4", "8Gi", "0").region("east").build(),
        cluster("east-2", 1, "4", "8Gi", "0").region("east").build(),
        cluster("west-1", 1, "4", "8Gi", "0").region("west").build()));
    LocalityScore score = new LocalityScore();

    assertThat(harness.score(score, 1, "east-1")).isZero();
    harness.state().assign(harness.unit(0), harness.cluster("east-1"));

    assertThat(harness.score(score, 1, "east-1")).isEqualTo(100);
    assertThat(harness.score(score, 1, "east-2")).isEqualTo(50);
    assertThat(harness.score(score, 1, "west-1")).isZero();
  }

  @Test
  void taintPreferenceLowersUntoleratedSoftTaints() {
    ComponentPlacement tolerant = new ComponentPlacement(null, List.of(), List.of(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE)));
    var clusters = inventory(
        cluster("spot", 1, "4", "8Gi", "0")
            .taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE)
            .taint("old", "true", TaintEffect.PREFER_NO_SCHEDULE)
            .build(),
        cluster("clean", 1, "4", "8Gi", "0").build());
    TaintPreferenceScore score = new TaintPreferenceScore();

    Harness plain = new Harness(graph("g").component("c", 1, requests("1", "1Gi", "0")).build(), clusters);
    Harness tolerating = new Harness(graph("g").component("c", 1, requests("1", "1Gi", "0"), tolerant).build(), clusters);

    assertThat(plain.score(score, 0, "clean")).isEqualTo(100);
    assertThat(plain.score(score, 0, "spot")).isEqualTo(50);
    assertThat(tolerating.score(score, 0, "spot")).isEqualTo(75);
  }
}
