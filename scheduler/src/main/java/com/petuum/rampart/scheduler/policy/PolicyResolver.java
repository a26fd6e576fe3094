package com.petuum.rampart.scheduler.policy;

import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.ComponentRule;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.Toleration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses the placement that applies to a graph and combines it with per-component settings.
 *
 * <p>Precedence: {@code spec.placement.policyRef} when set, with the inline fields beside it
 * merged on top; else the inline {@code spec.placement} when it sets anything; else the
 * selecting policy with the highest priority, then the lowest name; else defaults (no affinity,
 * no tolerations, BinPack, failover disabled). Stateless.
 */
public final class PolicyResolver {

  private PolicyResolver() {}

  /**
   * Resolves the placement of {@code graph} among {@code policies} (of any namespace).
   *
   * @throws PolicyNotFoundException when {@code policyRef} names a policy not in the list
   */
  public static ResolvedPlacement resolve(Graph graph, List<PlacementPolicy> policies) throws PolicyNotFoundException {
    PlacementSpec spec;
    String source;
    if (graph.policyRef() != null) {
      PlacementPolicy referenced = findReferenced(graph, policies);
      spec = graph.placement().over(referenced.spec());
      source = "policy " + referenced.name() + " (policyRef)";
    } else if (!graph.placement().equals(PlacementSpec.EMPTY)) {
      spec = graph.placement();
      source = "inline spec.placement";
    } else {
      PlacementPolicy selected = selectByLabels(graph, policies);
      spec = selected == null ? PlacementSpec.EMPTY : selected.spec();
      source = selected == null
          ? "defaults"
          : "policy " + selected.name() + " (selected by labels, priority " + selected.priority() + ")";
    }

    TreeMap<String, ComponentConstraints> components = new TreeMap<>();
    for (Component component : graph.components().values()) {
      components.put(component.name(), constraintsOf(component, spec, graph));
    }
    return new ResolvedPlacement(spec, source, components);
  }

  private static PlacementPolicy findReferenced(Graph graph, List<PlacementPolicy> policies) throws PolicyNotFoundException {
    for (PlacementPolicy policy : policies) {
      if (policy.namespace().equals(graph.key().namespace()) && policy.name().equals(graph.policyRef().name())) {
        return policy;
      }
    }
    throw new PolicyNotFoundException(
        "spec.placement.policyRef.name: PlacementPolicy " + graph.key().namespace() + "/" + graph.policyRef().name()
            + " not found (create it in the graph's namespace, or remove policyRef)");
  }

  private static PlacementPolicy selectByLabels(Graph graph, List<PlacementPolicy> policies) {
    return policies.stream()
        .filter(policy -> policy.selects(graph))
        .min(Comparator.comparingInt((PlacementPolicy policy) -> -policy.priority()).thenComparing(PlacementPolicy::name))
        .orElse(null);
  }

  private static ComponentConstraints constraintsOf(Component component, PlacementSpec spec, Graph graph) {
    List<ClusterAffinity> required = new ArrayList<>();
    List<Toleration> tolerations = new ArrayList<>(spec.tolerations());
    List<PreferredAffinity> preferred = new ArrayList<>(spec.preferredAffinities());
    List<PodSet> resources = component.resources();
    if (spec.clusterAffinity() != null) {
      required.add(spec.clusterAffinity());
    }

    // Rules apply in the order written; a later rule's resources replace an earlier one's.
    for (ComponentRule rule : spec.componentRules()) {
      if (!rule.match().matches(component)) {
        continue;
      }
      if (rule.clusterAffinity() != null) {
        required.add(rule.clusterAffinity());
      }
      tolerations.addAll(rule.tolerations());
      if (!rule.resources().isEmpty()) {
        resources = rule.resources();
      }
    }

    if (component.placement().clusterAffinity() != null) {
      required.add(component.placement().clusterAffinity());
    }
    tolerations.addAll(component.placement().tolerations());
    preferred.addAll(component.placement().preferredAffinities());

    TreeSet<String> capabilities = new TreeSet<>();
    if (component.chart() != null) {
      capabilities.addAll(component.chart().requires());
    }
    for (String flowName : component.flows()) {
      Flow flow = graph.flows().get(flowName);
      if (flow != null && flow.type() == FlowType.PULSAR) {
        capabilities.add(Flow.PULSAR_CAPABILITY);
      }
    }
    return new ComponentConstraints(component.name(), required, tolerations, preferred, resources, capabilities);
  }
}
