package com.petuum.rampart.bench.comparison;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes the seeded inputs of the side-by-side scheduler comparison: one inventory file of
 * MemberClusters and one workload file of RampartGraphs, both as {@code rampart.petuum.com/v1}
 * objects in a {@code List}, so any scheduler that can read those kinds gets the same clusters
 * and graphs. The same seed and sizes give byte-identical files.
 *
 * <p>Clusters: 8 regions of 3 zones (Karmada's region selection enumerates combinations of
 * regions, so the count stays small), 4 providers, tiers {@code prod}, {@code batch} and
 * {@code edge} (20% edge), 15% with 8 GPUs per node, 10% tainted {@code dedicated=gpu:NoSchedule}
 * and 2% {@code maintenance=true:NoExecute}, and 0 to 80% of the nodes busy plus one partly used
 * node. Every cluster reports {@code pods} capacity because Karmada's estimator counts no
 * replicas without it.
 *
 * <p>Graphs: {@code components} components in groups of 1 to 3 joined by a volume flow, each
 * component 1 to 3 pods of 100m to 1 CPU and 128Mi to 2Gi, 3% of them also 1 GPU. Every graph
 * selects providers {@code aws}, {@code gcp} or {@code azure} outside the {@code edge} tier, and
 * 20% tolerate the {@code dedicated=gpu} taint.
 */
public final class ComparisonInputs {

  static final String NAMESPACE = "bench";
  static final String PROVIDER_LABEL = "topology.rampart.petuum.com/provider";
  static final String REGION_LABEL = "topology.rampart.petuum.com/region";
  static final String ZONE_LABEL = "topology.rampart.petuum.com/zone";
  static final String TIER_LABEL = "tier";

  private static final String API_VERSION = "rampart.petuum.com/v1";
  private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-east", "sa-east", "af-south"};
  private static final String[] PROVIDERS = {"aws", "gcp", "azure", "onprem"};
  private static final int PODS_PER_NODE = 110;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ComparisonInputs() {}

  /** Returns the inventory file's name for {@code clusters} clusters. */
  public static String inventoryFileName(int clusters) {
    return "inventory-" + clusters + ".json";
  }

  /** Returns the workload file's name for {@code clusters} clusters. */
  public static String workloadFileName(int clusters) {
    return "workloads-" + clusters + ".json";
  }

  /**
   * Writes both files into {@code directory}, creating it when missing.
   *
   * @return the inventory file and the workload file, in that order
   */
  public static List<Path> write(Path directory, int clusters, int graphs, int components, long seed) throws IOException {
    Files.createDirectories(directory);
    Path inventory = directory.resolve(inventoryFileName(clusters));
    Path workloads = directory.resolve(workloadFileName(clusters));
    JSON.writeValue(inventory.toFile(), inventory(clusters, seed));
    JSON.writeValue(workloads.toFile(), workloads(graphs, components, seed + 1));
    return List.of(inventory, workloads);
  }

  /** Returns a {@code List} of {@code count} MemberCluster objects. */
  public static ObjectNode inventory(int count, long seed) {
    Random random = new Random(seed);
    ArrayNode items = JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      items.add(cluster(i, random));
    }
    return list(items);
  }

  private static ObjectNode cluster(int index, Random random) {
    String region = REGIONS[index % REGIONS.length];
    String zone = region + "-" + (char) ('a' + (index / REGIONS.length) % 3);
    String provider = PROVIDERS[random.nextInt(PROVIDERS.length)];
    String tier = random.nextInt(10) < 2 ? "edge" : (random.nextBoolean() ? "prod" : "batch");
    boolean gpu = random.nextInt(100) < 15;

    ObjectNode cluster = object("MemberCluster");
    ObjectNode metadata = cluster.putObject("metadata");
    metadata.put("name", String.format("cluster-%05d", index));
    ObjectNode labels = metadata.putObject("labels");
    labels.put(PROVIDER_LABEL, provider);
    labels.put(REGION_LABEL, region);
    labels.put(ZONE_LABEL, zone);
    labels.put(TIER_LABEL, tier);
    if (gpu) {
      labels.put("gpu", "true");
    }

    ObjectNode spec = cluster.putObject("spec");
    spec.put("unschedulable", false);
    ArrayNode taints = spec.putArray("taints");
    int taintRoll = random.nextInt(100);
    if (taintRoll < 10) {
      taints.addObject().put("key", "dedicated").put("value", "gpu").put("effect", "NoSchedule");
    } else if (taintRoll < 12) {
      taints.addObject().put("key", "maintenance").put("value", "true").put("effect", "NoExecute");
    }

    int nodes = 3 + random.nextInt(38);
    long nodeCpu = random.nextBoolean() ? 32 : 64;
    long nodeMemoryGi = nodeCpu * 4;
    long nodeGpus = gpu ? 8 : 0;
    // Used capacity comes as whole busy nodes plus one partly used node, so the free node shapes
    // and the aggregate available capacity describe the same cluster.
    int busyNodes = (int) Math.floor(nodes * random.nextInt(81) / 100.0);
    busyNodes = Math.min(busyNodes, nodes - 1);
    int freeNodes = nodes - busyNodes - 1;
    int partialFreePercent = 10 + random.nextInt(91);

    long[] node = {nodeCpu * 1000, nodeMemoryGi * 1024, PODS_PER_NODE, nodeGpus};
    long[] partial = new long[node.length];
    for (int r = 0; r < node.length; r++) {
      partial[r] = node[r] * partialFreePercent / 100;
    }
    long[] allocatable = new long[node.length];
    long[] available = new long[node.length];
    for (int r = 0; r < node.length; r++) {
      allocatable[r] = node[r] * nodes;
      available[r] = node[r] * freeNodes + partial[r];
    }
    long[] allocated = new long[node.length];
    for (int r = 0; r < node.length; r++) {
      allocated[r] = allocatable[r] - available[r];
    }

    ObjectNode status = cluster.putObject("status");
    status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
    ObjectNode capacity = status.putObject("capacity");
    capacity.set("allocatable", resources(allocatable));
    capacity.set("allocated", resources(allocated));
    capacity.set("available", resources(available));
    status.put("nodeCount", nodes);
    ArrayNode shapes = status.putArray("freeNodeShapes");
    if (freeNodes > 0) {
      ObjectNode whole = shapes.addObject();
      whole.set("free", resources(node));
      whole.put("count", freeNodes);
    }
    ObjectNode partlyUsed = shapes.addObject();
    partlyUsed.set("free", resources(partial));
    partlyUsed.put("count", 1);
    return cluster;
  }

  /** Converts CPU millicores, memory MiB, pods and GPUs to API quantities, leaving out zero GPUs. */
  private static ObjectNode resources(long[] values) {
    ObjectNode list = JSON.createObjectNode();
    list.put("cpu", values[0] + "m");
    list.put("memory", values[1] + "Mi");
    list.put("pods", String.valueOf(values[2]));
    if (values[3] > 0) {
      list.put("nvidia.com/gpu", String.valueOf(values[3]));
    }
    return list;
  }

  /** Returns a {@code List} of {@code count} RampartGraph objects of {@code components} components each. */
  public static ObjectNode workloads(int count, int components, long seed) {
    Random random = new Random(seed);
    ArrayNode items = JSON.createArrayNode();
    for (int g = 0; g < count; g++) {
      items.add(graph(String.format("workload-%06d", g), components, random));
    }
    return list(items);
  }

  private static ObjectNode graph(String name, int componentCount, Random random) {
    ObjectNode graph = object("RampartGraph");
    graph.putObject("metadata").put("name", name).put("namespace", NAMESPACE).put("generation", 1);
    ObjectNode spec = graph.putObject("spec");
    spec.put("deploy", true);

    ObjectNode placement = spec.putObject("placement");
    ArrayNode expressions = placement.putObject("clusterAffinity").putObject("labelSelector").putArray("matchExpressions");
    ObjectNode providerIn = expressions.addObject().put("key", PROVIDER_LABEL).put("operator", "In");
    providerIn.putArray("values").add("aws").add("gcp").add("azure");
    ObjectNode tierNotIn = expressions.addObject().put("key", TIER_LABEL).put("operator", "NotIn");
    tierNotIn.putArray("values").add("edge");
    if (random.nextInt(5) == 0) {
      placement.putArray("tolerations").addObject()
          .put("key", "dedicated").put("operator", "Equal").put("value", "gpu").put("effect", "NoSchedule");
    }

    ObjectNode body = spec.putObject("graph");
    ObjectNode components = body.putObject("components");
    ObjectNode flows = body.putObject("flows");
    int index = 0;
    int group = 0;
    while (index < componentCount) {
      int size = Math.min(componentCount - index, 1 + random.nextInt(3));
      String flow = "volume-" + group;
      if (size > 1) {
        flows.putObject(flow).put("type", "volume");
      }
      for (int k = 0; k < size; k++, index++) {
        ObjectNode component = components.putObject(String.format("c%03d", index));
        component.putObject("chart")
            .put("repo", "http://127.0.0.1:8879/charts").put("name", "chart-" + index % 7).put("version", "1.0.0");
        if (size > 1) {
          component.putObject(k == 0 ? "outputs" : "inputs").putObject("data").put("type", "volume").put("flow", flow);
        }
        ObjectNode pods = component.putArray("resources").addObject();
        pods.put("count", 1 + random.nextInt(3));
        ObjectNode requests = pods.putObject("requests");
        requests.put("cpu", (100 + 100 * random.nextInt(10)) + "m");
        requests.put("memory", (128 * (1 + random.nextInt(16))) + "Mi");
        if (random.nextInt(100) < 3) {
          requests.put("nvidia.com/gpu", "1");
        }
      }
      group++;
    }
    return graph;
  }

  private static ObjectNode object(String kind) {
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", API_VERSION);
    object.put("kind", kind);
    return object;
  }

  private static ObjectNode list(ArrayNode items) {
    ObjectNode list = JSON.createObjectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.set("items", items);
    return list;
  }

  /**
   * Writes the files. Flags: {@code --clusters N} (default 1000), {@code --graphs M} graphs in the
   * workload file (default 1000), {@code --components K} per graph (default 20), {@code --seed S}
   * (default 42), {@code --out DIR} (default {@code bench/target/comparison}).
   */
  public static void main(String[] args) throws IOException {
    CommandLine line = CommandLine.parse("bench/comparison-inputs", args);
    line.rejectUnknown("--out", "--clusters", "--graphs", "--components", "--seed");
    List<Path> written = write(
        Path.of(line.text("--out", "bench/target/comparison")),
        line.positive("--clusters", 1000),
        line.positive("--graphs", 1000),
        line.positive("--components", 20),
        line.number("--seed", 42));
    written.forEach(path -> System.out.println(path));
  }
}
