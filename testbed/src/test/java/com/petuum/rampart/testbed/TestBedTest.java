package com.petuum.rampart.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.testbed.process.ManagedProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts a hub and two members once and checks what tests of the product rely on. */
class TestBedTest {

  private static TestBed bed;

  @BeforeAll
  static void startTestBed() {
    bed = TestBed.builder("testbed-test")
        .hub("hub")
        .member("gpu-member", KwokNode.named("gpu-node-0")
            .capacity(Map.of("cpu", "32", "memory", "128Gi", "nvidia.com/gpu", "4"))
            .labels(Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB",
                "topology.kubernetes.io/zone", "zone-a")))
        .member("cpu-member", KwokNode.named("cpu-node-0"), KwokNode.named("cpu-node-1"))
        .start();
  }

  @AfterAll
  static void stopTestBed() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void gpuDeploymentLeavesUnfitReplicaPending() {
    KubeCluster member = bed.cluster("gpu-member");
    member.applyYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: trainer, namespace: default}
        spec:
          replicas: 3
          selector: {matchLabels: {app: trainer}}
          template:
            metadata: {labels: {app: trainer}}
            spec:
              containers:
              - name: main
                image: example.invalid/trainer:1
                resources:
                  requests: {nvidia.com/gpu: "2", cpu: "1"}
                  limits: {nvidia.com/gpu: "2"}
        """);

    // Two replicas of 2 GPUs fill the 4-GPU node; the third cannot be placed.
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
        assertThat(jsonPath(member, "deployment/trainer", "{.status.readyReplicas}")).isEqualTo("2"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode pods = member.api().get("/api/v1/namespaces/default/pods?labelSelector=app%3Dtrainer").body();
      List<String> phases = pods.path("items").findValuesAsText("phase");
      assertThat(phases).containsExactlyInAnyOrder("Running", "Running", "Pending");
    });
    JsonNode events = member.api().get("/api/v1/namespaces/default/events?fieldSelector=reason%3DFailedScheduling").body();
    assertThat(events.path("items").findValuesAsText("message"))
        .anySatisfy(message -> assertThat(message).contains("Insufficient nvidia.com/gpu"));
  }

  @Test
  void persistentVolumeClaimBindsOnMember() {
    KubeCluster member = bed.cluster("cpu-member");
    member.applyYaml("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: flow-data, namespace: default}
        spec:
          accessModes: [ReadWriteMany]
          resources: {requests: {storage: 1Gi}}
        """);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(jsonPath(member, "pvc/flow-data", "{.status.phase}")).isEqualTo("Bound"));
    assertThat(jsonPath(member, "pvc/flow-data", "{.spec.storageClassName}")).isEqualTo("standard");
  }

  @Test
  void installedKubectlWorksWithWrittenKubeconfig() {
    KubectlResult nodes = bed.cluster("cpu-member").kubectl("get", "nodes", "-o", "name");

    assertThat(nodes.exitCode()).as(nodes.stderr()).isZero();
    assertThat(nodes.stdout().lines().toList()).containsExactly("node/cpu-node-0", "node/cpu-node-1");
  }

  @Test
  void memberNodesCarryRequestedCapacityAndLabels() {
    KubeCluster member = bed.cluster("gpu-member");

    assertThat(jsonPath(member, "node/gpu-node-0", "{.status.allocatable.nvidia\\.com/gpu}")).isEqualTo("4");
    assertThat(jsonPath(member, "node/gpu-node-0", "{.metadata.labels.nvidia\\.com/gpu\\.product}"))
        .isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(jsonPath(member, "node/gpu-node-0", "{.status.conditions[?(@.type==\"Ready\")].status}"))
        .isEqualTo("True");
  }

  @Test
  void hubRunsNamespaceControllerButHasNoNodes() {
    KubeCluster hub = bed.cluster("hub");
    hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: short-lived}\n");

    KubectlResult deletion = hub.kubectl("delete", "namespace", "short-lived", "--wait=false");
    assertThat(deletion.exitCode()).as(deletion.stderr()).isZero();

    // Only a running namespace controller finishes a namespace deletion.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(hub.api().get("/api/v1/namespaces/short-lived").status()).isEqualTo(404));
    assertThat(hub.api().get("/api/v1/nodes").body().path("items").size()).isZero();
    assertThat(hub.processes()).extracting(ManagedProcess::name)
        .containsExactly("hub-etcd", "hub-kube-apiserver", "hub-kube-controller-manager");
  }

  @Test
  void mergedKubeconfigHasContextPerCluster() {
    KubeCluster hub = bed.cluster("hub");
    var merged = bed.writeMergedKubeconfig();

    KubectlResult contexts = hub.kubectl("--kubeconfig", merged.toString(), "config", "get-contexts", "-o", "name");

    assertThat(contexts.stdout().lines().sorted().toList()).containsExactly("cpu-member", "gpu-member", "hub");
  }

  private static String jsonPath(KubeCluster cluster, String object, String path) {
    KubectlResult result = cluster.kubectl("get", object, "-o", "jsonpath=" + path);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.stdout().trim();
  }
}
