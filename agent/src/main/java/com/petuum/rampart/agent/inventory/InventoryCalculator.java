package com.petuum.rampart.agent.inventory;

import com.petuum.rampart.proto.v1.GpuModel;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.NodeShape;
import com.petuum.rampart.proto.v1.ResourceQuantities;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a cluster's inventory from its nodes and pods. Pure: no I/O, same inputs give the same
 * inventory.
 *
 * <ul>
 *   <li>Usable nodes are those with Ready=True and not cordoned; only they count towards
 *       allocatable, allocated, available and free node shapes. {@code nodeCount} counts usable
 *       nodes too, because the scheduler needs the number of nodes that can take pods.
 *   <li>A pod's request is what kube-scheduler counts: per resource, the larger of the sum over its
 *       containers and the largest init container, plus the pod overhead. Pods in phase Succeeded
 *       or Failed, and pods not bound to a node, request nothing.
 *   <li>Free node shapes are the distinct per-node free vectors with how many nodes have each,
 *       largest first (by GPUs, then CPU, then memory), at most {@value #MAX_SHAPES}.
 *   <li>GPU models come from the node label {@value #GPU_PRODUCT_LABEL}, counted with the node's
 *       allocatable {@value #GPU_RESOURCE}.
 *   <li>Topology labels are the node labels under {@code topology.rampart.petuum.com/} and
 *       {@code topology.kubernetes.io/} whose value every usable node shares; the standard
 *       Kubernetes region and zone are also reported under the Rampart names.
 * </ul>
 */
public final class InventoryCalculator {

  public static final String GPU_RESOURCE = "nvidia.com/gpu";
  public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
  static final int MAX_SHAPES = 32;

  private static final String RAMPART_TOPOLOGY = "topology.rampart.petuum.com/";
  private static final String KUBERNETES_TOPOLOGY = "topology.kubernetes.io/";
  private static final Set<String> BINARY_RESOURCES = Set.of("memory", "ephemeral-storage");

  private InventoryCalculator() {}

  /** Computes the inventory; capabilities are passed through as configured on the agent. */
  public static Inventory calculate(List<V1Node> nodes, List<V1Pod> pods, List<String> capabilities) {
    Map<String, Map<String, BigDecimal>> freeByNode = new TreeMap<>();
    Map<String, BigDecimal> allocatable = new TreeMap<>();
    Map<String, Integer> gpuModels = new TreeMap<>();
    List<V1Node> usable = new ArrayList<>();
    for (V1Node node : nodes) {
      if (!isUsable(node)) {
        continue;
      }
      usable.add(node);
      Map<String, BigDecimal> nodeAllocatable = quantities(node.getStatus().getAllocatable());
      nodeAllocatable.forEach((name, value) -> allocatable.merge(name, value, BigDecimal::add));
      freeByNode.put(node.getMetadata().getName(), new TreeMap<>(nodeAllocatable));
      String product = labels(node).get(GPU_PRODUCT_LABEL);
      BigDecimal gpus = nodeAllocatable.get(GPU_RESOURCE);
      if (product != null && gpus != null && gpus.signum() > 0) {
        gpuModels.merge(product, gpus.intValue(), Integer::sum);
      }
    }

    Map<String, BigDecimal> allocated = new TreeMap<>();
    for (V1Pod pod : pods) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      Map<String, BigDecimal> free = nodeName == null ? null : freeByNode.get(nodeName);
      if (free == null || isTerminated(pod)) {
        continue;
      }
      podRequests(pod).forEach((name, value) -> {
        allocated.merge(name, value, BigDecimal::add);
        free.merge(name, value.negate(), BigDecimal::add);
      });
    }

    Map<String, BigDecimal> available = new TreeMap<>();
    allocatable.forEach((name, value) -> available.put(name, nonNegative(value.subtract(allocated.getOrDefault(name, BigDecimal.ZERO)))));

    Inventory.Builder inventory =
        Inventory.newBuilder()
            .setAllocatable(toProto(allocatable))
            .setAllocated(toProto(allocated))
            .setAvailable(toProto(available))
            .setNodeCount(usable.size())
            .addAllCapabilities(capabilities)
            .putAllTopologyLabels(sharedTopologyLabels(usable));
    gpuModels.forEach((model, count) -> inventory.addGpuModels(GpuModel.newBuilder().setModel(model).setCount(count)));
    inventory.addAllFreeNodeShapes(freeShapes(freeByNode.values()));
    return inventory.build();
  }

  private static boolean isUsable(V1Node node) {
    if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
      return false;
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    List<V1NodeCondition> conditions = node.getStatus().getConditions();
    if (conditions == null) {
      return false;
    }
    return conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean isTerminated(V1Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static Map<String, BigDecimal> podRequests(V1Pod pod) {
    Map<String, BigDecimal> sum = new HashMap<>();
    for (V1Container container : nullToEmpty(pod.getSpec().getContainers())) {
      requests(container).forEach((name, value) -> sum.merge(name, value, BigDecimal::add));
    }
    for (V1Container init : nullToEmpty(pod.getSpec().getInitContainers())) {
      requests(init).forEach((name, value) -> sum.merge(name, value, BigDecimal::max));
    }
    quantities(pod.getSpec().getOverhead()).forEach((name, value) -> sum.merge(name, value, BigDecimal::add));
    return sum;
  }

  private static Map<String, BigDecimal> requests(V1Container container) {
    if (container.getResources() == null) {
      return Map.of();
    }
    return quantities(container.getResources().getRequests());
  }

  private static Map<String, BigDecimal> quantities(Map<String, Quantity> values) {
    Map<String, BigDecimal> result = new TreeMap<>();
    if (values != null) {
      values.forEach((name, quantity) -> result.put(name, quantity.getNumber()));
    }
    return result;
  }

  private static Map<String, String> labels(V1Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static Map<String, String> sharedTopologyLabels(List<V1Node> usable) {
    Map<String, String> shared = null;
    for (V1Node node : usable) {
      Map<String, String> topology = new TreeMap<>();
      labels(node).forEach((key, value) -> {
        if (key.startsWith(RAMPART_TOPOLOGY) || key.startsWith(KUBERNETES_TOPOLOGY)) {
          topology.put(key, value);
        }
        if (key.startsWith(KUBERNETES_TOPOLOGY)) {
          topology.putIfAbsent(RAMPART_TOPOLOGY + key.substring(KUBERNETES_TOPOLOGY.length()), value);
        }
      });
      if (shared == null) {
        shared = topology;
      } else {
        shared.entrySet().removeIf(entry -> !entry.getValue().equals(topology.get(entry.getKey())));
      }
    }
    return shared == null ? Map.of() : shared;
  }

  private static List<NodeShape> freeShapes(java.util.Collection<Map<String, BigDecimal>> freeVectors) {
    Map<Map<String, BigDecimal>, Integer> counts = new LinkedHashMap<>();
    for (Map<String, BigDecimal> free : freeVectors) {
      Map<String, BigDecimal> clamped = new TreeMap<>();
      // Normalise scale (1 and 1.000 are one value) and drop negatives left by overcommitted nodes.
      free.forEach((name, value) -> clamped.put(name, nonNegative(value).stripTrailingZeros()));
      counts.merge(clamped, 1, Integer::sum);
    }
    Comparator<Map<String, BigDecimal>> largestFirst =
        Comparator.<Map<String, BigDecimal>, BigDecimal>comparing(v -> v.getOrDefault(GPU_RESOURCE, BigDecimal.ZERO))
            .thenComparing(v -> v.getOrDefault("cpu", BigDecimal.ZERO))
            .thenComparing(v -> v.getOrDefault("memory", BigDecimal.ZERO))
            .thenComparing(Map::toString)
            .reversed();
    return counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(largestFirst))
        .limit(MAX_SHAPES)
        .map(entry -> NodeShape.newBuilder().setFree(toProto(entry.getKey())).setNodeCount(entry.getValue()).build())
        .toList();
  }

  private static ResourceQuantities toProto(Map<String, BigDecimal> values) {
    ResourceQuantities.Builder builder = ResourceQuantities.newBuilder();
    values.forEach((name, value) -> builder.putQuantities(name, format(name, value)));
    return builder.build();
  }

  /**
   * Formats a quantity in the canonical Kubernetes form: binary suffixes for bytes. Values that
   * client-java cannot give a suffix (decimal values of 10^21 or more, beyond {@code E}) are
   * written as plain decimal numbers, which are valid quantities too.
   */
  static String format(String resource, BigDecimal value) {
    Quantity.Format format = BINARY_RESOURCES.contains(resource) ? Quantity.Format.BINARY_SI : Quantity.Format.DECIMAL_SI;
    try {
      return new Quantity(value, format).toSuffixedString();
    } catch (IllegalArgumentException e) {
      return value.stripTrailingZeros().toPlainString();
    }
  }

  private static BigDecimal nonNegative(BigDecimal value) {
    return value.signum() < 0 ? BigDecimal.ZERO : value;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
