package com.petuum.rampart.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.proto.v1.GpuModel;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.NodeShape;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryCalculatorTest {

  private static V1Node node(String name, Map<String, String> allocatable, Map<String, String> labels, boolean ready) {
    Map<String, Quantity> quantities = new HashMap<>();
    allocatable.forEach((key, value) -> quantities.put(key, Quantity.fromString(value)));
    return new V1Node()
        .metadata(new V1ObjectMeta().name(name).labels(labels))
        .spec(new V1NodeSpec())
        .status(
            new V1NodeStatus()
                .allocatable(quantities)
                .conditions(List.of(new V1NodeCondition().type("Ready").status(ready ? "True" : "False"))));
  }

  private static V1Container container(Map<String, String> requests) {
    Map<String, Quantity> quantities = new HashMap<>();
    requests.forEach((key, value) -> quantities.put(key, Quantity.fromString(value)));
    return new V1Container().name("c").resources(new V1ResourceRequirements().requests(quantities));
  }

  private static V1Pod pod(String node, String phase, List<V1Container> containers, List<V1Container> init) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name("p"))
        .spec(new V1PodSpec().nodeName(node).containers(containers).initContainers(init))
        .status(new V1PodStatus().phase(phase));
  }

  private static final Map<String, String> GPU_NODE = Map.of("cpu", "16", "memory", "64Gi", "nvidia.com/gpu", "4");
  private static final Map<String, String> A100 =
      Map.of("nvidia.com/gpu.product", "A100", "topology.kubernetes.io/region", "us-east-1", "topology.kubernetes.io/zone", "us-east-1a");

  @Test
  void formatsQuantitiesBeyondTheLargestSuffix() {
    assertThat(InventoryCalculator.format("cpu", new java.math.BigDecimal("16000"))).isEqualTo("16k");
    assertThat(InventoryCalculator.format("memory", new java.math.BigDecimal("549755813888"))).isEqualTo("512Gi");
    assertThat(InventoryCalculator.format("example.com/bytes", new java.math.BigDecimal("2000000000000000000000")))
        .isEqualTo("2000000000000000000000");
    assertThat(new Quantity(InventoryCalculator.format("example.com/bytes", new java.math.BigDecimal("2e21")))
        .getNumber()).isEqualByComparingTo("2e21");
  }

  @Test
  void subtractsRequestsOfRunningPodsOnly() {
    List<V1Node> nodes = List.of(node("gpu-0", GPU_NODE, A100, true));
    List<V1Pod> pods =
        List.of(
            pod("gpu-0", "Running", List.of(container(Map.of("cpu", "4", "memory", "16Gi", "nvidia.com/gpu", "1"))), null),
            pod("gpu-0", "Succeeded", List.of(container(Map.of("cpu", "8"))), null),
            pod(null, "Pending", List.of(container(Map.of("cpu", "8"))), null));

    Inventory inventory = InventoryCalculator.calculate(nodes, pods, List.of("pulsar"));

    assertThat(inventory.getAllocatable().getQuantitiesMap())
        .containsEntry("cpu", "16")
        .containsEntry("memory", "64Gi")
        .containsEntry("nvidia.com/gpu", "4");
    assertThat(inventory.getAllocated().getQuantitiesMap()).containsEntry("cpu", "4").containsEntry("memory", "16Gi");
    assertThat(inventory.getAvailable().getQuantitiesMap())
        .containsEntry("cpu", "12")
        .containsEntry("memory", "48Gi")
        .containsEntry("nvidia.com/gpu", "3");
    assertThat(inventory.getCapabilitiesList()).containsExactly("pulsar");
  }

  @Test
  void initContainerRequestCountsWhenLargest() {
    V1Pod pod =
        pod(
            "n",
            "Running",
            List.of(container(Map.of("cpu", "1")), container(Map.of("cpu", "1"))),
            List.of(container(Map.of("cpu", "3"))));

    assertThat(InventoryCalculator.podRequests(pod).get("cpu")).isEqualByComparingTo("3");
  }

  @Test
  void countsGpuModelsAndTopology() {
    List<V1Node> nodes =
        List.of(
            node("gpu-0", GPU_NODE, A100, true),
            node("gpu-1", GPU_NODE, A100, true),
            node("cpu-0", Map.of("cpu", "8", "memory", "32Gi"), Map.of("topology.kubernetes.io/region", "us-east-1", "topology.kubernetes.io/zone", "us-east-1b"), true));

    Inventory inventory = InventoryCalculator.calculate(nodes, List.of(), List.of());

    assertThat(inventory.getNodeCount()).isEqualTo(3);
    assertThat(inventory.getGpuModelsList()).containsExactly(GpuModel.newBuilder().setModel("A100").setCount(8).build());
    assertThat(inventory.getTopologyLabelsMap())
        .containsEntry("topology.rampart.petuum.com/region", "us-east-1")
        .doesNotContainKey("topology.rampart.petuum.com/zone");
  }

  @Test
  void freeShapesAreDistinctLargestFirst() {
    List<V1Node> nodes =
        List.of(
            node("gpu-0", GPU_NODE, A100, true),
            node("gpu-1", GPU_NODE, A100, true),
            node("cpu-0", Map.of("cpu", "8", "memory", "32Gi"), Map.of(), true));
    List<V1Pod> pods = List.of(pod("gpu-1", "Running", List.of(container(Map.of("nvidia.com/gpu", "2", "cpu", "2"))), null));

    List<NodeShape> shapes = InventoryCalculator.calculate(nodes, pods, List.of()).getFreeNodeShapesList();

    assertThat(shapes).hasSize(3);
    assertThat(shapes.get(0).getFree().getQuantitiesMap()).containsEntry("nvidia.com/gpu", "4").containsEntry("cpu", "16");
    assertThat(shapes.get(1).getFree().getQuantitiesMap()).containsEntry("nvidia.com/gpu", "2").containsEntry("cpu", "14");
    assertThat(shapes.get(2).getFree().getQuantitiesMap()).containsEntry("cpu", "8");
    assertThat(shapes).allMatch(shape -> shape.getNodeCount() == 1);
  }

  @Test
  void identicalFreeNodesShareOneShape() {
    List<V1Node> nodes = List.of(node("a", GPU_NODE, A100, true), node("b", GPU_NODE, A100, true));

    List<NodeShape> shapes = InventoryCalculator.calculate(nodes, List.of(), List.of()).getFreeNodeShapesList();

    assertThat(shapes).hasSize(1);
    assertThat(shapes.get(0).getNodeCount()).isEqualTo(2);
  }

  @Test
  void notReadyAndCordonedNodesAreExcluded() {
    V1Node cordoned = node("c", GPU_NODE, A100, true);
    cordoned.getSpec().setUnschedulable(true);
    List<V1Node> nodes = List.of(node("ready", GPU_NODE, A100, true), node("down", GPU_NODE, A100, false), cordoned);

    Inventory inventory = InventoryCalculator.calculate(nodes, List.of(), List.of());

    assertThat(inventory.getNodeCount()).isEqualTo(1);
    assertThat(inventory.getAllocatable().getQuantitiesMap()).containsEntry("nvidia.com/gpu", "4");
  }
}
