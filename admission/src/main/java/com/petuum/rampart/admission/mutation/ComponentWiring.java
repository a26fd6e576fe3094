package com.petuum.rampart.admission.mutation;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.FlowType;
import com.petuum.rampart.admission.model.GraphNames;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.model.RepositoryConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The flow wiring of one component: what every pod in its namespace gets. Immutable.
 *
 * @param component the component name; also the name of the ConfigMap mounted at {@code /.RAMPART}
 * @param edges the edges, sorted by direction then name
 */
public record ComponentWiring(String component, List<WiredEdge> edges) {

  public ComponentWiring {
    requireNonNull(component, "component");
    edges = List.copyOf(requireNonNull(edges, "edges"));
  }

  /**
   * Derives the wiring of {@code componentName} in {@code graph}. Edges whose flow is missing or
   * of another type are left out; validation rejects such graphs before they reach a member.
   *
   * @throws IllegalArgumentException when the graph has no such component
   */
  public static ComponentWiring of(RampartGraph graph, String componentName, ClusterFacts facts) {
    Component component = graph.components().get(componentName);
    if (component == null) {
      throw new IllegalArgumentException(
          "component: " + componentName + " (expected one of " + graph.components().keySet() + ")");
    }
    List<WiredEdge> edges = new ArrayList<>();
    for (Edge edge : component.edges()) {
      Flow flow = graph.flows().get(edge.flow());
      if (flow == null || flow.type() != edge.type()) {
        continue;
      }
      edges.add(wire(graph, edge, flow, facts));
    }
    edges.sort(Comparator.comparing(WiredEdge::direction).thenComparing(WiredEdge::name));
    return new ComponentWiring(componentName, edges);
  }

  private static WiredEdge wire(RampartGraph graph, Edge edge, Flow flow, ClusterFacts facts) {
    String mountPath = edge.effectiveMountPath();
    String claim = GraphNames.claimName(graph.namespace(), graph.name(), flow.name());
    return switch (flow.type()) {
      case VOLUME -> new WiredEdge(
          edge.name(), edge.direction(), FlowType.VOLUME, flow.name(), mountPath, mountPath, Optional.of(claim),
          Optional.empty(), Optional.empty());
      case PULSAR -> new WiredEdge(
          edge.name(), edge.direction(), FlowType.PULSAR, flow.name(), mountPath,
          facts.pulsarServiceUrl() + "/" + GraphNames.pulsarTopic(graph.namespace(), graph.name(), flow.name()),
          Optional.empty(), Optional.empty(), Optional.empty());
      case REPOSITORY -> {
        Optional<RepositoryConfig> config = flow.repository();
        Optional<String> remote = config.flatMap(RepositoryConfig::remote);
        yield new WiredEdge(
            edge.name(), edge.direction(), FlowType.REPOSITORY, flow.name(), mountPath, mountPath,
            remote.isPresent() ? Optional.empty() : Optional.of(claim), config.map(RepositoryConfig::kind), remote);
      }
    };
  }
}
