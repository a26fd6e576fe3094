package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.Chart;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.ComponentPlacement;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.NodeShape;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.StorageDomain;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builders for clusters and graphs in tests. */
public final class Fixtures {

  public static final String GPU = "nvidia.com/gpu";
  public static final String REGION = "topology.rampart.petuum.com/region";

  private Fixtures() {}

  /** Starts a ready cluster with {@code nodes} identical nodes of {@code cpu}, {@code memory} and {@code gpus}. */
  public static ClusterBuilder cluster(String name, int nodes, String cpu, String memory, String gpus) {
    return new ClusterBuilder(name, nodes, cpu, memory, gpus);
  }

  public static ClusterInventory inventory(MemberCluster... clusters) {
    return ClusterInventory.of(Arrays.asList(clusters));
  }

  public static ResourceList requests(String cpu, String memory, String gpus) {
    return gpus == null || gpus.equals("0")
        ? ResourceList.of("cpu", cpu, "memory", memory)
        : ResourceList.of("cpu", cpu, "memory", memory, GPU, gpus);
  }

  public static GraphBuilder graph(String name) {
    return new GraphBuilder(name);
  }

  /** Builds a MemberCluster. */
  public static final class ClusterBuilder {
    private final String name;
    private final int nodes;
    private final ResourceList node;
    private final Map<String, String> labels = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private final List<StorageDomain> domains = new ArrayList<>();
    private final Set<String> capabilities = new TreeSet<>();
    private boolean ready = true;
    private boolean cordoned;
    private ResourceList used = ResourceList.EMPTY;

    private ClusterBuilder(String name, int nodes, String cpu, String memory, String gpus) {
      this.name = name;
      this.nodes = nodes;
      this.node = requests(cpu, memory, gpus);
    }

    public ClusterBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public ClusterBuilder region(String region) {
      return label(REGION, region);
    }

    public ClusterBuilder taint(String key, String value, TaintEffect effect) {
      taints.add(new Taint(key, value, effect));
      return this;
    }

    public ClusterBuilder storageDomain(String domain) {
      domains.add(new StorageDomain(domain, "nfs"));
      return this;
    }

    public ClusterBuilder capability(String capability) {
      capabilities.add(capability);
      return this;
    }

    public ClusterBuilder notReady() {
      ready = false;
      return this;
    }

    public ClusterBuilder cordoned() {
      cordoned = true;
      return this;
    }

    /** Marks {@code amount} as used on the first node. */
    public ClusterBuilder used(ResourceList amount) {
      used = amount;
      return this;
    }

    public MemberCluster build() {
      ResourceList allocatable = node.times(nodes);
      ResourceList available = allocatable.minusFloorZero(used);
      List<NodeShape> shapes = new ArrayList<>();
      if (used.isEmpty()) {
        shapes.add(new NodeShape(node, nodes));
      } else {
        shapes.add(new NodeShape(node.minusFloorZero(used), 1));
        if (nodes > 1) {
          shapes.add(0, new NodeShape(node, nodes - 1));
        }
      }
      return new MemberCluster(
          ClusterName.of(name), labels, taints, cordoned, domains, capabilities, ready, allocatable, available, shapes);
    }
  }

  /** Builds a Graph in namespace {@code team}. */
  public static final class GraphBuilder {
    private final String name;
    private final TreeMap<String, Component> components = new TreeMap<>();
    private final TreeMap<String, Flow> flows = new TreeMap<>();
    private final Map<String, String> labels = new HashMap<>();
    private PlacementSpec placement = PlacementSpec.EMPTY;
    private com.petuum.rampart.scheduler.model.PolicyRef policyRef;

    private GraphBuilder(String name) {
      this.name = name;
    }

    /** Adds a component of {@code pods} pods, each requesting {@code request}, on the given flows. */
    public GraphBuilder component(String component, int pods, ResourceList request, String... flowNames) {
      return component(component, pods, request, ComponentPlacement.NONE, flowNames);
    }

    public GraphBuilder component(String component, int pods, ResourceList request, ComponentPlacement componentPlacement, String... flowNames) {
      List<PodSet> resources = request.isEmpty() ? List.of() : List.of(new PodSet(pods, request));
      components.put(component, new Component(
          component, new Chart("http://127.0.0.1:8879/charts", component + "-chart", "0.1.0", List.of()),
          new TreeSet<>(Arrays.asList(flowNames)), resources, componentPlacement));
      return this;
    }

    public GraphBuilder chartRequires(String component, String capability) {
      Component old = components.get(component);
      components.put(component, new Component(
          old.name(), new Chart(old.chart().repo(), old.chart().name(), old.chart().version(), List.of(capability)),
          old.flows(), old.resources(), old.placement()));
      return this;
    }

    public GraphBuilder flow(String flow, FlowType type) {
      flows.put(flow, new Flow(flow, type, null));
      return this;
    }

    public GraphBuilder remoteRepository(String flow) {
      flows.put(flow, new Flow(flow, FlowType.REPOSITORY, "https://git.example/models.git"));
      return this;
    }

    public GraphBuilder placement(PlacementSpec spec) {
      this.placement = spec;
      return this;
    }

    public GraphBuilder policyRef(String policy) {
      this.policyRef = new com.petuum.rampart.scheduler.model.PolicyRef(policy);
      return this;
    }

    public GraphBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Graph build() {
      return new Graph(GraphKey.of("team", name), labels, 1, placement, policyRef, components, flows);
    }
  }
}
