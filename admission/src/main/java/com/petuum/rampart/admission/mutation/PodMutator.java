package com.petuum.rampart.admission.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.EdgeDirection;
import com.petuum.rampart.admission.model.FlowType;
import com.petuum.rampart.admission.model.GraphNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Wires a component's flows into a pod: a pure function from the pod, the component's wiring and
 * the cluster's facts to a JSON Patch (RFC 6902). Stateless and thread-safe; the agent's webhook
 * and tests call it alike.
 *
 * <p>Every container and every init container the pod already has gets:
 *
 * <ul>
 *   <li>a mount of each volume edge's flow at its mount path, read-only for inputs, and of each
 *       repository edge's clone;
 *   <li>{@code RAMPART_INPUT_<edge>} or {@code RAMPART_OUTPUT_<edge>} with the mount path or the
 *       Pulsar topic URL, and {@code RAMPART_REPO_TYPE_...} ({@code GIT} or {@code DVC}) for
 *       repository edges;
 *   <li>the component's ConfigMap, read-only at {@code /.RAMPART};
 *   <li>on clusters with GPUs, {@code nvidia.com/gpu: 0} as a limit when it requests no GPU.
 * </ul>
 *
 * <p>Repository edges also get an init container, placed before the pod's own, that clones the
 * repository into an emptyDir at the mount path.
 *
 * <p>What the pod already has wins: a container that already mounts something at a path keeps
 * that mount and does not get ours, an existing variable keeps its value, and an existing volume
 * of the same name is reused. Applying the patch twice therefore changes nothing the second time,
 * and {@link MutationResult#warnings()} lists each skipped mount.
 */
public final class PodMutator {

  /** Name of the pod volume that contains the component's ConfigMap. */
  public static final String CONFIG_VOLUME = "rampart-config";

  public static final String CONFIG_MOUNT_PATH = "/.RAMPART";

  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** Directory at which clone init containers mount the volume that hosts a repository flow. */
  static final String REPOSITORY_ORIGIN_ROOT = "/.rampart/repo_origin";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Returns the patch for {@code pod}; an empty patch when there is nothing to add. */
  public MutationResult mutate(JsonNode pod, ComponentWiring wiring, ClusterFacts facts) {
    PatchBuilder patch = new PatchBuilder();
    List<String> warnings = new ArrayList<>();
    JsonNode spec = pod.path("spec");

    addVolumes(spec, wiring, patch);
    List<Mount> mounts = mounts(wiring);
    Map<String, String> variables = variables(wiring);
    Set<String> cloneContainers = new HashSet<>();
    wiring.edges().stream().filter(e -> e.type() == FlowType.REPOSITORY).forEach(e -> cloneContainers.add(cloneContainerName(e)));
    for (String field : new String[] {"initContainers", "containers"}) {
      JsonNode containers = spec.path(field);
      for (int i = 0; i < containers.size(); i++) {
        String containerPath = "/spec/" + field + "/" + i;
        JsonNode container = containers.get(i);
        if (field.equals("initContainers") && cloneContainers.contains(container.path("name").asText())) {
          // Added by an earlier admission of this pod; it mounts only what it clones.
          continue;
        }
        addMounts(container, containerPath, mounts, patch, warnings);
        addVariables(container, containerPath, variables, patch);
        if (facts.hasGpus()) {
          limitGpus(container, containerPath, patch);
        }
      }
    }
    addCloneContainers(spec, wiring, facts, patch);
    return new MutationResult(patch.build(), warnings);
  }

  private record Mount(String volume, String path, boolean readOnly) {}

  private static List<Mount> mounts(ComponentWiring wiring) {
    List<Mount> mounts = new ArrayList<>();
    for (WiredEdge edge : wiring.edges()) {
      if (edge.type() == FlowType.VOLUME) {
        mounts.add(new Mount(GraphNames.flowVolumeName(edge.flow()), edge.mountPath(), edge.readOnly()));
      } else if (edge.type() == FlowType.REPOSITORY) {
        mounts.add(new Mount(cloneVolumeName(edge), edge.mountPath(), false));
      }
    }
    mounts.add(new Mount(CONFIG_VOLUME, CONFIG_MOUNT_PATH, true));
    return mounts;
  }

  private static Map<String, String> variables(ComponentWiring wiring) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (WiredEdge edge : wiring.edges()) {
      variables.put(GraphNames.edgeVariable(edge.direction(), edge.name()), edge.value());
      edge.repositoryKind().ifPresent(kind ->
          variables.put(GraphNames.repositoryTypeVariable(edge.direction(), edge.name()), kind.toUpperCase(Locale.ROOT)));
    }
    return variables;
  }

  private static void addVolumes(JsonNode spec, ComponentWiring wiring, PatchBuilder patch) {
    Set<String> existing = names(spec.path("volumes"));
    List<ObjectNode> volumes = new ArrayList<>();
    for (WiredEdge edge : wiring.edges()) {
      if (edge.type() == FlowType.VOLUME) {
        String name = GraphNames.flowVolumeName(edge.flow());
        if (existing.add(name)) {
          ObjectNode volume = NODES.objectNode().put("name", name);
          volume.putObject("persistentVolumeClaim").put("claimName", edge.claimName().orElseThrow());
          volumes.add(volume);
        }
      } else if (edge.type() == FlowType.REPOSITORY) {
        String name = cloneVolumeName(edge);
        if (existing.add(name)) {
          ObjectNode volume = NODES.objectNode().put("name", name);
          volume.putObject("emptyDir");
          volumes.add(volume);
        }
        String originName = originVolumeName(edge);
        if (edge.claimName().isPresent() && existing.add(originName)) {
          ObjectNode volume = NODES.objectNode().put("name", originName);
          volume.putObject("persistentVolumeClaim").put("claimName", edge.claimName().get());
          volumes.add(volume);
        }
      }
    }
    if (existing.add(CONFIG_VOLUME)) {
      ObjectNode volume = NODES.objectNode().put("name", CONFIG_VOLUME);
      volume.putObject("configMap").put("name", wiring.component());
      volumes.add(volume);
    }
    patch.appendAll(spec.path("volumes"), "/spec/volumes", volumes);
  }

  private static void addMounts(
      JsonNode container, String containerPath, List<Mount> mounts, PatchBuilder patch, List<String> warnings) {
    Set<String> existingPaths = new HashSet<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      existingPaths.add(stripTrailingSlash(mount.path("mountPath").asText()));
    }
    List<ObjectNode> added = new ArrayList<>();
    for (Mount mount : mounts) {
      if (!existingPaths.add(stripTrailingSlash(mount.path()))) {
        if (!isOurs(container, mount)) {
          warnings.add(
              "container " + container.path("name").asText() + " already mounts something at " + mount.path()
                  + ", so volume " + mount.volume() + " was not mounted there");
        }
        continue;
      }
      ObjectNode volumeMount = NODES.objectNode().put("name", mount.volume()).put("mountPath", mount.path());
      if (mount.readOnly()) {
        volumeMount.put("readOnly", true);
      }
      added.add(volumeMount);
    }
    patch.appendAll(container.path("volumeMounts"), containerPath + "/volumeMounts", added);
  }

  /** Returns whether the container's mount at the path is already the one we add (a second admission). */
  private static boolean isOurs(JsonNode container, Mount mount) {
    for (JsonNode existing : container.path("volumeMounts")) {
      if (stripTrailingSlash(existing.path("mountPath").asText()).equals(stripTrailingSlash(mount.path()))) {
        return existing.path("name").asText().equals(mount.volume());
      }
    }
    return false;
  }

  private static void addVariables(JsonNode container, String containerPath, Map<String, String> variables, PatchBuilder patch) {
    Set<String> existing = names(container.path("env"));
    List<ObjectNode> added = new ArrayList<>();
    variables.forEach((name, value) -> {
      if (existing.add(name)) {
        added.add(NODES.objectNode().put("name", name).put("value", value));
      }
    });
    patch.appendAll(container.path("env"), containerPath + "/env", added);
  }

  private static void limitGpus(JsonNode container, String containerPath, PatchBuilder patch) {
    JsonNode resources = container.path("resources");
    if (resources.path("limits").has(GPU_RESOURCE) || resources.path("requests").has(GPU_RESOURCE)) {
      return;
    }
    if (!resources.isObject()) {
      ObjectNode value = NODES.objectNode();
      value.putObject("limits").put(GPU_RESOURCE, "0");
      patch.add(containerPath + "/resources", value);
    } else if (!resources.path("limits").isObject()) {
      patch.add(containerPath + "/resources/limits", NODES.objectNode().put(GPU_RESOURCE, "0"));
    } else {
      patch.add(containerPath + "/resources/limits/" + PatchBuilder.escape(GPU_RESOURCE), NODES.textNode("0"));
    }
  }

  /**
   * Adds one init container per repository edge, before the pod's own init containers, so the
   * clone is in place when anything else starts. Runs after the existing init containers were
   * patched, because inserting at index 0 shifts their indices.
   */
  private static void addCloneContainers(JsonNode spec, ComponentWiring wiring, ClusterFacts facts, PatchBuilder patch) {
    Set<String> existing = names(spec.path("initContainers"));
    List<ObjectNode> clones = new ArrayList<>();
    for (WiredEdge edge : wiring.edges()) {
      if (edge.type() != FlowType.REPOSITORY) {
        continue;
      }
      String name = cloneContainerName(edge);
      if (!existing.add(name)) {
        continue;
      }
      String origin = edge.remote().orElseGet(() -> REPOSITORY_ORIGIN_ROOT + "/" + edge.claimName().orElseThrow() + "/bare.git");
      ObjectNode clone = NODES.objectNode().put("name", name).put("image", facts.gitImage());
      ArrayNode command = clone.putArray("command");
      command.add("git").add("clone").add("--").add(origin).add(edge.mountPath());
      ArrayNode mounts = clone.putArray("volumeMounts");
      mounts.addObject().put("name", cloneVolumeName(edge)).put("mountPath", edge.mountPath());
      if (edge.claimName().isPresent()) {
        mounts.addObject()
            .put("name", originVolumeName(edge))
            .put("mountPath", REPOSITORY_ORIGIN_ROOT + "/" + edge.claimName().get())
            .put("readOnly", edge.direction() == EdgeDirection.INPUT);
      }
      clones.add(clone);
    }
    patch.prependAll(spec.path("initContainers"), "/spec/initContainers", clones);
  }

  private static String cloneContainerName(WiredEdge edge) {
    return "git-clone-" + edge.direction().envPart().toLowerCase(Locale.ROOT) + "-"
        + edge.name().replace('_', '-').toLowerCase(Locale.ROOT);
  }

  private static String cloneVolumeName(WiredEdge edge) {
    return "repo-" + edge.direction().envPart().toLowerCase(Locale.ROOT) + "-"
        + edge.name().replace('_', '-').toLowerCase(Locale.ROOT);
  }

  private static String originVolumeName(WiredEdge edge) {
    return "repo-origin-" + edge.flow();
  }

  private static Set<String> names(JsonNode list) {
    Set<String> names = new HashSet<>();
    for (JsonNode item : list) {
      names.add(item.path("name").asText());
    }
    return names;
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
