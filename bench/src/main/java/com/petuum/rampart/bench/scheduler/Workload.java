package com.petuum.rampart.bench.scheduler;

import com.petuum.rampart.scheduler.model.Chart;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.ComponentPlacement;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.model.LabelSelector;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.NodeShape;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.StorageDomain;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates heterogeneous member clusters and graphs for the benchmarks, the same ones for the
 * same seed.
 *
 * <p>Clusters: four providers, eight regions, 40% with GPUs (8 per node), 10% tainted
 * NoSchedule and 10% PreferNoSchedule, 3% not Ready, 2% cordoned, half with a regional storage
 * domain, 70% with pulsar, and up to 60% of one node already used. Graphs: components in
 * co-location groups of one to three joined by volume flows, consecutive groups joined by
 * pulsar flows, a quarter of components asking for one or two GPUs per pod.
 */
public final class Workload {

  private static final String[] PROVIDERS = {"aws", "gcp", "azure", "onprem"};
  private static final String[] GPU_MODELS = {"a100", "h100", "t4"};
  private static final int REGIONS = 8;

  private Workload() {}

  public static List<MemberCluster> clusters(int count, long seed) {
    Random random = new Random(seed);
    List<MemberCluster> clusters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clusters.add(cluster(String.format("member-%05d", i), random));
    }
    return clusters;
  }

  private static MemberCluster cluster(String name, Random random) {
    String provider = PROVIDERS[random.nextInt(PROVIDERS.length)];
    String region = provider + "-region-" + random.nextInt(REGIONS);
    Map<String, String> labels = new TreeMap<>();
    labels.put("topology.rampart.petuum.com/provider", provider);
    labels.put("topology.rampart.petuum.com/region", region);
    labels.put("topology.rampart.petuum.com/zone", region + "-" + (char) ('a' + random.nextInt(3)));

    boolean gpu = random.nextInt(10) < 4;
    int nodes = gpu ? 2 + random.nextInt(15) : 4 + random.nextInt(29);
    ResourceList node = gpu
        ? ResourceList.of("cpu", "32", "memory", "256Gi", "nvidia.com/gpu", "8")
        : ResourceList.of("cpu", "64", "memory", "256Gi");
    if (gpu) {
      labels.put("gpu", GPU_MODELS[random.nextInt(GPU_MODELS.length)]);
    }

    List<Taint> taints = new ArrayList<>();
    int taintRoll = random.nextInt(10);
    if (taintRoll == 0) {
      taints.add(new Taint("dedicated", "batch", TaintEffect.NO_SCHEDULE));
    } else if (taintRoll == 1) {
      taints.add(new Taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE));
    }
    List<StorageDomain> domains = random.nextBoolean() ? List.of(new StorageDomain("nfs-" + region, "nfs")) : List.of();
    Set<String> capabilities = new TreeSet<>();
    if (random.nextInt(10) < 7) {
      capabilities.add("pulsar");
    }
    if (random.nextInt(10) < 3) {
      capabilities.add("kuberay");
    }

    // One partly used node, the rest free.
    int usedPercent = random.nextInt(61);
    ResourceList partial = scale(node, 100 - usedPercent);
    List<NodeShape> shapes = new ArrayList<>();
    if (nodes > 1) {
      shapes.add(new NodeShape(node, nodes - 1));
    }
    shapes.add(new NodeShape(partial, 1));
    ResourceList allocatable = node.times(nodes);
    ResourceList available = node.times(nodes - 1).plus(partial);
    boolean ready = random.nextInt(100) >= 3;
    boolean cordoned = random.nextInt(100) < 2;
    return new MemberCluster(
        ClusterName.of(name), labels, taints, cordoned, domains, capabilities, ready, allocatable, available, shapes);
  }

  private static ResourceList scale(ResourceList list, int percent) {
    TreeMap<String, Long> scaled = new TreeMap<>();
    list.milli().forEach((name, milli) -> scaled.put(name, milli / 100 * percent));
    return new ResourceList(scaled);
  }

  /** Returns {@code count} graphs of {@code components} components each. */
  public static List<Graph> graphs(int count, int components, long seed) {
    Random random = new Random(seed);
    List<Graph> graphs = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      graphs.add(graph("graph-" + g, components, random));
    }
    return graphs;
  }

  private static Graph graph(String name, int componentCount, Random random) {
    TreeMap<String, Component> components = new TreeMap<>();
    TreeMap<String, Flow> flows = new TreeMap<>();
    int index = 0;
    int group = 0;
    String previousGroupFlow = null;
    while (index < componentCount) {
      int size = Math.min(componentCount - index, 1 + random.nextInt(3));
      String volume = "vol-" + group;
      String events = "events-" + group;
      if (size > 1) {
        flows.put(volume, new Flow(volume, FlowType.VOLUME, null));
      }
      boolean streams = random.nextInt(3) == 0;
      if (streams) {
        flows.put(events, new Flow(events, FlowType.PULSAR, null));
      }
      for (int k = 0; k < size; k++, index++) {
        TreeSet<String> used = new TreeSet<>();
        if (size > 1) {
          used.add(volume);
        }
        if (streams && k == 0) {
          used.add(events);
          if (previousGroupFlow != null) {
            used.add(previousGroupFlow);
          }
        }
        String componentName = String.format("c%03d", index);
        components.put(componentName, new Component(
            componentName, new Chart("http://127.0.0.1:8879/charts", "chart-" + (index % 7), "1.0.0", List.of()),
            used, List.of(pods(random)), ComponentPlacement.NONE));
      }
      if (streams) {
        previousGroupFlow = events;
      }
      group++;
    }

    PlacementSpec placement = PlacementSpec.EMPTY;
    if (random.nextInt(4) == 0) {
      placement = new PlacementSpec(null, List.of(new PreferredAffinity(
          50, LabelSelector.matchLabels(Map.of("topology.rampart.petuum.com/provider", "aws")))), List.of(), null, List.of(), null, null);
    }
    return new Graph(GraphKey.of("bench", name), Map.of(), 1, placement, null, components, flows);
  }

  private static PodSet pods(Random random) {
    int count = 1 + random.nextInt(3);
    if (random.nextInt(4) == 0) {
      return new PodSet(count, ResourceList.of(
          "cpu", String.valueOf(2 + random.nextInt(7)), "memory", (8 + random.nextInt(25)) + "Gi",
          "nvidia.com/gpu", String.valueOf(1 + random.nextInt(2))));
    }
    return new PodSet(count, ResourceList.of("cpu", (250 + random.nextInt(3750)) + "m", "memory", (1 + random.nextInt(16)) + "Gi"));
  }
}
