package com.petuum.rampart.scheduler.model;

import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A MemberCluster as the scheduler sees it: labels and spec, and the capacity from its status.
 *
 * @param ready whether the {@code Ready} condition is {@code True}
 * @param available free capacity the agent reported
 * @param freeNodeShapes distinct free vectors of its nodes, largest first; empty when the agent
 *     reported none, in which case the whole {@code available} counts as one node
 */
public record MemberCluster(
    ClusterName name,
    Map<String, String> labels,
    List<Taint> taints,
    boolean unschedulable,
    List<StorageDomain> storageDomains,
    Set<String> capabilities,
    boolean ready,
    ResourceList allocatable,
    ResourceList available,
    List<NodeShape> freeNodeShapes) {

  public MemberCluster {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    taints = List.copyOf(taints == null ? List.of() : taints);
    storageDomains = List.copyOf(storageDomains == null ? List.of() : storageDomains);
    capabilities = java.util.Collections.unmodifiableSet(new TreeSet<>(capabilities == null ? Set.of() : capabilities));
    allocatable = allocatable == null ? ResourceList.EMPTY : allocatable;
    available = available == null ? ResourceList.EMPTY : available;
    freeNodeShapes = List.copyOf(freeNodeShapes == null ? List.of() : freeNodeShapes);
  }

  /** Starts a ready, untainted cluster with the given capacity, free and on one node; for tests and tools. */
  public static MemberCluster ready(String name, ResourceList capacity) {
    return new MemberCluster(
        ClusterName.of(name), Map.of(), List.of(), false, List.of(), Set.of(), true, capacity, capacity,
        List.of(new NodeShape(capacity, 1)));
  }

  public MemberCluster withLabels(Map<String, String> newLabels) {
    return new MemberCluster(name, newLabels, taints, unschedulable, storageDomains, capabilities, ready, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withTaints(List<Taint> newTaints) {
    return new MemberCluster(name, labels, newTaints, unschedulable, storageDomains, capabilities, ready, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withCapabilities(Set<String> newCapabilities) {
    return new MemberCluster(name, labels, taints, unschedulable, storageDomains, newCapabilities, ready, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withStorageDomains(List<StorageDomain> newDomains) {
    return new MemberCluster(name, labels, taints, unschedulable, newDomains, capabilities, ready, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withReady(boolean newReady) {
    return new MemberCluster(name, labels, taints, unschedulable, storageDomains, capabilities, newReady, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withUnschedulable(boolean newUnschedulable) {
    return new MemberCluster(name, labels, taints, newUnschedulable, storageDomains, capabilities, ready, allocatable, available, freeNodeShapes);
  }

  public MemberCluster withCapacity(ResourceList newAllocatable, ResourceList newAvailable, List<NodeShape> newShapes) {
    return new MemberCluster(name, labels, taints, unschedulable, storageDomains, capabilities, ready, newAllocatable, newAvailable, newShapes);
  }
}
