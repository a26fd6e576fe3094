package com.petuum.rampart.scheduler.inventory;

import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.NodeShape;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The member clusters laid out for scheduling: sorted by name, capacities as flat arrays of
 * milli-units indexed {@code cluster * resourceCount() + resource}.
 *
 * <p>Immutable and thread-safe. Build one per inventory change, not per graph: building parses
 * nothing but copies every cluster's capacity, while scheduling only reads these arrays. Index
 * order is name order, so a loop over indices visits clusters in a fixed order whatever order
 * the clusters were given in.
 */
public final class ClusterInventory {

  private final List<MemberCluster> clusters;
  private final Map<ClusterName, Integer> indexByName;
  private final String[] resourceNames;
  private final Map<String, Integer> resourceIndex;
  private final long[] allocatable;
  private final long[] available;
  private final long[][] nodeShapes;
  private final long[] maxAllocatable;
  private final boolean[] schedulable;
  private final List<Set<String>> capabilities;
  private final boolean[] hasTaints;
  private final boolean[] hasPreferNoScheduleTaint;
  private final Map<String, int[]> domainsByLabel = new ConcurrentHashMap<>();

  private ClusterInventory(List<MemberCluster> sortedClusters) {
    this.clusters = List.copyOf(sortedClusters);
    int clusterCount = clusters.size();

    indexByName = new HashMap<>();
    TreeSet<String> names = new TreeSet<>();
    for (int c = 0; c < clusterCount; c++) {
      MemberCluster cluster = clusters.get(c);
      if (indexByName.put(cluster.name(), c) != null) {
        throw new IllegalArgumentException("clusters: duplicate cluster name " + cluster.name() + " (expected each MemberCluster once)");
      }
      names.addAll(cluster.allocatable().milli().keySet());
      names.addAll(cluster.available().milli().keySet());
      cluster.freeNodeShapes().forEach(shape -> names.addAll(shape.free().milli().keySet()));
    }
    resourceNames = names.toArray(new String[0]);
    resourceIndex = new HashMap<>();
    for (int r = 0; r < resourceNames.length; r++) {
      resourceIndex.put(resourceNames[r], r);
    }

    int resources = resourceNames.length;
    allocatable = new long[clusterCount * resources];
    available = new long[clusterCount * resources];
    maxAllocatable = new long[resources];
    nodeShapes = new long[clusterCount][];
    schedulable = new boolean[clusterCount];
    List<Set<String>> capabilitySets = new ArrayList<>();
    hasTaints = new boolean[clusterCount];
    hasPreferNoScheduleTaint = new boolean[clusterCount];
    for (int c = 0; c < clusterCount; c++) {
      MemberCluster cluster = clusters.get(c);
      for (int r = 0; r < resources; r++) {
        allocatable[c * resources + r] = cluster.allocatable().get(resourceNames[r]);
        available[c * resources + r] = cluster.available().get(resourceNames[r]);
        maxAllocatable[r] = Math.max(maxAllocatable[r], allocatable[c * resources + r]);
      }
      nodeShapes[c] = flattenShapes(cluster, resources);
      schedulable[c] = cluster.ready() && !cluster.unschedulable();
      capabilitySets.add(new HashSet<>(cluster.capabilities()));
      hasTaints[c] = !cluster.taints().isEmpty();
      for (Taint taint : cluster.taints()) {
        hasPreferNoScheduleTaint[c] |= taint.effect() == TaintEffect.PREFER_NO_SCHEDULE;
      }
    }
    capabilities = List.copyOf(capabilitySets);
  }

  /** Lays out {@code clusters}, in any order. */
  public static ClusterInventory of(List<MemberCluster> clusters) {
    List<MemberCluster> sorted = new ArrayList<>(clusters);
    sorted.sort(Comparator.comparing(MemberCluster::name));
    return new ClusterInventory(sorted);
  }

  private long[] flattenShapes(MemberCluster cluster, int resources) {
    List<NodeShape> shapes = cluster.freeNodeShapes();
    if (shapes.isEmpty()) {
      // NOTE: without shapes the whole free capacity counts as one node, so fragmentation goes unseen.
      long[] single = new long[resources];
      for (int r = 0; r < resources; r++) {
        single[r] = cluster.available().get(resourceNames[r]);
      }
      return single;
    }
    long[] flat = new long[shapes.size() * resources];
    for (int s = 0; s < shapes.size(); s++) {
      for (int r = 0; r < resources; r++) {
        flat[s * resources + r] = shapes.get(s).free().get(resourceNames[r]);
      }
    }
    return flat;
  }

  public int size() {
    return clusters.size();
  }

  public MemberCluster cluster(int index) {
    return clusters.get(index);
  }

  public List<MemberCluster> clusters() {
    return clusters;
  }

  public ClusterName name(int index) {
    return clusters.get(index).name();
  }

  /** Returns the index of the named cluster, or -1 when it is not in the inventory. */
  public int indexOf(ClusterName name) {
    Integer index = indexByName.get(name);
    return index == null ? -1 : index;
  }

  public int resourceCount() {
    return resourceNames.length;
  }

  public String resourceName(int index) {
    return resourceNames[index];
  }

  /** Returns the index of a resource, or -1 when no cluster reports it. */
  public int resourceIndex(String name) {
    Integer index = resourceIndex.get(name);
    return index == null ? -1 : index;
  }

  public long allocatable(int cluster, int resource) {
    return allocatable[cluster * resourceNames.length + resource];
  }

  /** Returns a fresh copy of the free capacity, flat, for one scheduling cycle to change. */
  public long[] copyAvailable() {
    return available.clone();
  }

  /** Largest allocatable amount of each resource over all clusters. */
  public long maxAllocatable(int resource) {
    return maxAllocatable[resource];
  }

  /** Free node shapes of a cluster, flat ({@code shape * resourceCount() + resource}); do not write. */
  public long[] nodeShapes(int cluster) {
    return nodeShapes[cluster];
  }

  /** Returns whether the cluster is Ready and not cordoned. */
  public boolean schedulable(int cluster) {
    return schedulable[cluster];
  }

  /** Returns whether the cluster lists {@code capability} in {@code spec.capabilities}. */
  public boolean hasCapability(int cluster, String capability) {
    return capabilities.get(cluster).contains(capability);
  }

  public boolean hasTaints(int cluster) {
    return hasTaints[cluster];
  }

  public boolean hasPreferNoScheduleTaint(int cluster) {
    return hasPreferNoScheduleTaint[cluster];
  }

  /**
   * Returns, per cluster, a number for the value of label {@code key} (equal values get equal
   * numbers, in value order), or -1 where the cluster lacks the label. Cached per key.
   */
  public int[] domains(String key) {
    return domainsByLabel.computeIfAbsent(key, this::computeDomains);
  }

  private int[] computeDomains(String key) {
    TreeMap<String, Integer> numbers = new TreeMap<>();
    for (MemberCluster cluster : clusters) {
      String value = cluster.labels().get(key);
      if (value != null) {
        numbers.put(value, 0);
      }
    }
    int next = 0;
    for (Map.Entry<String, Integer> entry : numbers.entrySet()) {
      entry.setValue(next++);
    }
    int[] domains = new int[clusters.size()];
    for (int c = 0; c < clusters.size(); c++) {
      String value = clusters.get(c).labels().get(key);
      domains[c] = value == null ? -1 : numbers.get(value);
    }
    return domains;
  }

  /** Returns the sorted names of storage domains that at least one cluster has. */
  public Set<String> storageDomainNames() {
    Set<String> names = new TreeSet<>();
    clusters.forEach(cluster -> cluster.storageDomains().forEach(domain -> names.add(domain.name())));
    return names;
  }

  /** Returns whether the cluster lists storage domain {@code name}. */
  public boolean hasStorageDomain(int cluster, String name) {
    for (var domain : clusters.get(cluster).storageDomains()) {
      if (domain.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
