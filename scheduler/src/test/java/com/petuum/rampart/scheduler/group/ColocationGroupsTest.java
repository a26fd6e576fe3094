package com.petuum.rampart.scheduler.group;

import static com.petuum.rampart.scheduler.Fixtures.graph;
import static com.petuum.rampart.scheduler.Fixtures.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColocationGroupsTest {

  @Test
  void bindingFlowsJoinComponentsTransitively() {
    Graph graph = graph("g")
        .flow("raw", FlowType.VOLUME)
        .flow("repo", FlowType.REPOSITORY)
        .flow("remote", FlowType.REPOSITORY)
        .flow("events", FlowType.PULSAR)
        .remoteRepository("remote")
        .component("a", 1, requests("1", "1Gi", "0"), "raw")
        .component("b", 1, requests("1", "1Gi", "0"), "raw", "repo")
        .component("c", 1, requests("1", "1Gi", "0"), "repo", "events")
        .component("d", 1, requests("1", "1Gi", "0"), "events", "remote")
        .component("e", 1, requests("1", "1Gi", "0"), "remote")
        .build();

    List<ColocationGroup> groups = ColocationGroups.of(graph);

    assertThat(groups).extracting(ColocationGroup::components)
        .containsExactly(List.of("a", "b", "c"), List.of("d"), List.of("e"));
    assertThat(groups.get(0).bindingFlows()).containsExactly("raw", "repo");
    assertThat(groups.get(0).neighbours()).containsExactly(1);
    assertThat(groups.get(1).neighbours()).containsExactly(0, 2);
    assertThat(groups.get(2).neighbours()).containsExactly(1);
  }
}
