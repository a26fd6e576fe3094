package com.petuum.rampart.testbed;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A fake node that KWOK keeps Ready on a member cluster, with the capacity and labels a test
 * asks for. Capacity equals allocatable. {@code pods: 110} is added when the capacity has no
 * {@code pods} entry, because a node without it can run no pod.
 *
 * <p>Immutable; change it with the {@code with...}-style methods, which return new instances.
 */
public record KwokNode(String name, Map<String, String> capacity, Map<String, String> labels, List<Taint> taints) {

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A node taint as in the Kubernetes Node API. */
  public record Taint(String key, String value, String effect) {
    public Taint {
      requireNonNull(key, "key");
      value = value == null ? "" : value;
      checkArgument(
          List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect),
          "effect: %s (expected: NoSchedule, PreferNoSchedule or NoExecute)", effect);
    }
  }

  public KwokNode {
    requireNonNull(name, "name");
    checkArgument(
        name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches(),
        "name: %s (expected: a DNS subdomain such as gpu-node-0)", name);
    TreeMap<String, String> withPods = new TreeMap<>(capacity);
    withPods.putIfAbsent("pods", "110");
    capacity = Map.copyOf(withPods);
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }

  /** Returns a node with 8 CPUs, 32 GiB of memory and 110 pods, and no labels. */
  public static KwokNode named(String name) {
    return new KwokNode(name, Map.of("cpu", "8", "memory", "32Gi"), Map.of(), List.of());
  }

  /** Returns a copy with this capacity (and allocatable), for example {@code nvidia.com/gpu: "4"}. */
  public KwokNode capacity(Map<String, String> newCapacity) {
    return new KwokNode(name, newCapacity, labels, taints);
  }

  /** Returns a copy with these labels added to the standard node labels. */
  public KwokNode labels(Map<String, String> newLabels) {
    return new KwokNode(name, capacity, newLabels, taints);
  }

  public KwokNode taints(List<Taint> newTaints) {
    return new KwokNode(name, capacity, labels, newTaints);
  }

  /** Returns the Node object to create, status included: KWOK keeps the capacity given here. */
  Map<String, Object> toNodeObject() {
    Map<String, String> allLabels = new TreeMap<>(labels);
    allLabels.put("kubernetes.io/hostname", name);
    allLabels.put("kubernetes.io/os", "linux");
    allLabels.put("kubernetes.io/arch", "amd64");
    allLabels.put("type", "kwok");
    List<Map<String, String>> taintObjects =
        taints.stream().map(t -> Map.of("key", t.key(), "value", t.value(), "effect", t.effect())).toList();
    return Map.of(
        "apiVersion", "v1",
        "kind", "Node",
        "metadata", Map.of("name", name, "labels", allLabels, "annotations", Map.of("kwok.x-k8s.io/node", "fake")),
        "spec", Map.of("taints", taintObjects),
        "status", Map.of("capacity", capacity, "allocatable", capacity));
  }
}
