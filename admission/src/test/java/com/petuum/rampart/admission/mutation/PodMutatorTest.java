package com.petuum.rampart.admission.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.rules.GraphModels;
import com.petuum.rampart.admission.testing.JsonPatch;
import com.petuum.rampart.admission.testing.Yaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodMutatorTest {

  private static final String GRAPH =
      """
      apiVersion: rampart.petuum.com/v1
      kind: RampartGraph
      metadata: {name: demo, namespace: default}
      spec:
        graph:
          components:
            trainer:
              chart: {repo: "http://127.0.0.1:8879/charts", name: batch-executor, version: 0.6.1}
              config: {}
              inputs:
                input_1: {type: volume, flow: raw, config: {mountPath: /data}}
                code: {type: repository, flow: code, config: {mountPath: /src}}
              outputs:
                output-1: {type: volume, flow: models}
                events: {type: pulsar, flow: events}
          flows:
            raw: {type: volume, config: {size: 1Gi}}
            models: {type: volume, config: {size: 1Gi}}
            code: {type: repository, config: {kind: git, size: 1Gi}}
            events: {type: pulsar}
      """;

  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: default-demo-trainer}
      spec:
        initContainers:
          - name: setup
            image: busybox
        containers:
          - name: main
            image: trainer
            env: [{name: EXISTING, value: "1"}]
            volumeMounts: [{name: scratch, mountPath: /scratch}]
          - name: sidecar
            image: sidecar
            resources: {limits: {cpu: "1"}}
          - name: gpu-user
            image: cuda
            resources: {limits: {nvidia.com/gpu: "2"}}
        volumes: [{name: scratch, emptyDir: {}}]
      """;

  private final PodMutator mutator = new PodMutator();

  private static ComponentWiring wiring(ClusterFacts facts) {
    RampartGraph graph = GraphModels.parse(Yaml.parse(GRAPH), "default");
    assertThat(graph.version()).isEqualTo(GraphVersion.V1);
    return ComponentWiring.of(graph, "trainer", facts);
  }

  private JsonNode mutatedPod(ClusterFacts facts) {
    ObjectNode pod = Yaml.parse(POD);
    MutationResult result = mutator.mutate(pod, wiring(facts), facts);
    return JsonPatch.apply(pod, result.patch());
  }

  private static JsonNode container(JsonNode pod, String name) {
    for (String field : new String[] {"containers", "initContainers"}) {
      for (JsonNode container : pod.path("spec").path(field)) {
        if (container.path("name").asText().equals(name)) {
          return container;
        }
      }
    }
    throw new AssertionError("no container " + name + " in " + pod);
  }

  private static JsonNode mountAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return mount;
      }
    }
    throw new AssertionError("no mount at " + path + " in " + container);
  }

  private static String variable(JsonNode container, String name) {
    for (JsonNode variable : container.path("env")) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("value").asText();
      }
    }
    throw new AssertionError("no variable " + name + " in " + container);
  }

  @Test
  void mountsVolumeInputsReadOnlyAndOutputsWritable() {
    JsonNode pod = mutatedPod(ClusterFacts.withGpus(false));

    for (String name : new String[] {"main", "sidecar", "gpu-user", "setup"}) {
      JsonNode container = container(pod, name);
      assertThat(mountAt(container, "/data").path("name").asText()).isEqualTo("flow-volume-raw");
      assertThat(mountAt(container, "/data").path("readOnly").asBoolean()).isTrue();
      assertThat(mountAt(container, "/output_1").path("name").asText()).isEqualTo("flow-volume-models");
      assertThat(mountAt(container, "/output_1").has("readOnly")).isFalse();
      assertThat(mountAt(container, "/.RAMPART").path("readOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void addsVolumesForClaimsAndConfigMap() {
    JsonNode pod = mutatedPod(ClusterFacts.withGpus(false));

    List<String> volumes = new ArrayList<>();
    pod.path("spec").path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
    assertThat(volumes).containsExactlyInAnyOrder(
        "scratch", "flow-volume-raw", "flow-volume-models", "repo-input-code", "repo-origin-code", "rampart-config");
    JsonNode raw = pod.path("spec").path("volumes").get(volumes.indexOf("flow-volume-raw"));
    assertThat(raw.path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("default-demo-raw");
    JsonNode config = pod.path("spec").path("volumes").get(volumes.indexOf("rampart-config"));
    assertThat(config.path("configMap").path("name").asText()).isEqualTo("trainer");
  }

  @Test
  void setsEdgeVariables() {
    JsonNode main = container(mutatedPod(ClusterFacts.withGpus(false)), "main");

    assertThat(variable(main, "EXISTING")).isEqualTo("1");
    assertThat(variable(main, "RAMPART_INPUT_input_1")).isEqualTo("/data");
    assertThat(variable(main, "RAMPART_OUTPUT_output_1")).isEqualTo("/output_1");
    assertThat(variable(main, "RAMPART_INPUT_code")).isEqualTo("/src");
    assertThat(variable(main, "RAMPART_REPO_TYPE_INPUT_code")).isEqualTo("GIT");
    assertThat(variable(main, "RAMPART_OUTPUT_events"))
        .isEqualTo(ClusterFacts.DEFAULT_PULSAR_SERVICE_URL + "/rampart/default_demo/events");
  }

  @Test
  void clonesRepositoriesBeforeOtherInitContainers() {
    JsonNode pod = mutatedPod(ClusterFacts.withGpus(false));

    JsonNode first = pod.path("spec").path("initContainers").get(0);
    assertThat(first.path("name").asText()).isEqualTo("git-clone-input-code");
    assertThat(first.path("command").toString()).contains("/.rampart/repo_origin/default-demo-code/bare.git", "/src");
    assertThat(pod.path("spec").path("initContainers").get(1).path("name").asText()).isEqualTo("setup");
  }

  @Test
  void limitsGpusOnGpuCluster() {
    JsonNode pod = mutatedPod(ClusterFacts.withGpus(true));

    assertThat(container(pod, "main").path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
    assertThat(container(pod, "sidecar").path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
    assertThat(container(pod, "sidecar").path("resources").path("limits").path("cpu").asText()).isEqualTo("1");
    assertThat(container(pod, "gpu-user").path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("2");
    assertThat(container(pod, "setup").path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
  }

  @Test
  void leavesGpusAloneOnClusterWithoutGpus() {
    JsonNode pod = mutatedPod(ClusterFacts.withGpus(false));

    assertThat(container(pod, "main").has("resources")).isFalse();
  }

  @Test
  void keepsExistingMountAtSamePath() {
    ObjectNode pod = Yaml.parse(POD);
    ObjectNode main = (ObjectNode) pod.path("spec").path("containers").get(0);
    main.withArray("volumeMounts").addObject().put("name", "scratch").put("mountPath", "/data/");
    ClusterFacts facts = ClusterFacts.withGpus(false);

    MutationResult result = mutator.mutate(pod, wiring(facts), facts);
    JsonNode mutated = JsonPatch.apply(pod, result.patch());

    assertThat(mountAt(container(mutated, "main"), "/data/").path("name").asText()).isEqualTo("scratch");
    assertThat(container(mutated, "main").path("volumeMounts").findValuesAsText("mountPath")).doesNotContain("/data");
    assertThat(result.warnings()).singleElement().asString().contains("container main already mounts something at /data");
    assertThat(mountAt(container(mutated, "sidecar"), "/data").path("name").asText()).isEqualTo("flow-volume-raw");
  }

  @Test
  void secondMutationAddsNothing() {
    ClusterFacts facts = ClusterFacts.withGpus(true);
    JsonNode once = mutatedPod(facts);

    MutationResult again = mutator.mutate(once, wiring(facts), facts);

    assertThat(again.patch()).isEmpty();
    assertThat(again.warnings()).isEmpty();
  }

  @Test
  void createsListsThePodLacks() {
    ObjectNode pod = Yaml.parse("apiVersion: v1\nkind: Pod\nspec: {containers: [{name: bare, image: x}]}\n");
    ClusterFacts facts = ClusterFacts.withGpus(true);

    JsonNode mutated = JsonPatch.apply(pod, mutator.mutate(pod, wiring(facts), facts).patch());

    JsonNode bare = container(mutated, "bare");
    assertThat(mountAt(bare, "/src").path("name").asText()).isEqualTo("repo-input-code");
    assertThat(variable(bare, "RAMPART_INPUT_input_1")).isEqualTo("/data");
    assertThat(bare.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
    assertThat(mutated.path("spec").path("initContainers").size()).isEqualTo(1);
  }
}
