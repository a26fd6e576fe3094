package com.petuum.rampart.scheduler.framework;

import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.policy.ComponentConstraints;
import com.petuum.rampart.scheduler.resource.Quantity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The part of a graph that the scheduler assigns to one cluster in one step: a whole co-location
 * group, or one component of a group split over a storage domain.
 *
 * <p>Immutable. Demands are precomputed as arrays indexed by {@link ResourceLayout}, so filters
 * and scorers read longs and allocate nothing.
 */
public final class PlacementUnit {

  private final int index;
  private final int group;
  private final List<String> components;
  private final long[] total;
  private final long[][] pods;
  private final List<List<Toleration>> tolerationSets;
  private final List<ClusterAffinity> requiredAffinities;
  private final List<PreferredAffinity> preferredAffinities;
  private final int preferredWeightTotal;
  private final List<String> capabilities;
  private final String storageDomain;
  private final int[] neighbours;
  private final int stickyCluster;
  private final int runningCluster;
  private final String podSignature;

  private PlacementUnit(Builder builder, List<ComponentConstraints> members, ResourceLayout layout) {
    this.index = builder.index;
    this.group = builder.group;
    this.storageDomain = builder.storageDomain;
    this.neighbours = builder.neighbours.clone();
    this.stickyCluster = builder.stickyCluster;
    this.runningCluster = builder.runningCluster;

    List<String> names = new ArrayList<>();
    total = new long[layout.size()];
    LinkedHashSet<String> podKeys = new LinkedHashSet<>();
    List<long[]> distinctPods = new ArrayList<>();
    LinkedHashSet<List<Toleration>> tolerations = new LinkedHashSet<>();
    LinkedHashSet<ClusterAffinity> required = new LinkedHashSet<>();
    LinkedHashSet<PreferredAffinity> preferred = new LinkedHashSet<>();
    TreeSet<String> needed = new TreeSet<>();
    for (ComponentConstraints member : members) {
      names.add(member.component());
      for (PodSet podSet : member.resources()) {
        if (podSet.count() == 0 || podSet.requests().isEmpty()) {
          continue;
        }
        long[] pod = new long[layout.size()];
        podSet.requests().milli().forEach((name, milli) -> pod[layout.indexOf(name)] = milli);
        for (int r = 0; r < pod.length; r++) {
          total[r] = Math.addExact(total[r], Math.multiplyExact(pod[r], podSet.count()));
        }
        if (podKeys.add(Arrays.toString(pod))) {
          distinctPods.add(pod);
        }
      }
      tolerations.add(member.tolerations());
      required.addAll(member.requiredAffinities());
      preferred.addAll(member.preferredAffinities());
      needed.addAll(member.capabilities());
    }
    this.components = List.copyOf(names);
    this.pods = distinctPods.toArray(new long[0][]);
    this.podSignature = String.join(";", podKeys);
    this.tolerationSets = List.copyOf(tolerations);
    this.requiredAffinities = List.copyOf(required);
    this.preferredAffinities = List.copyOf(preferred);
    this.preferredWeightTotal = preferred.stream().mapToInt(PreferredAffinity::weight).sum();
    this.capabilities = List.copyOf(needed);
  }

  public static Builder builder(int index, int group) {
    return new Builder(index, group);
  }

  /** Index of this unit in the cycle's unit list. */
  public int index() {
    return index;
  }

  /** Index of the co-location group this unit is, or is part of. */
  public int group() {
    return group;
  }

  public List<String> components() {
    return components;
  }

  public int componentCount() {
    return components.size();
  }

  /** Returns the total request of resource {@code r} over every pod of the unit, in milli-units. */
  public long total(int r) {
    return total[r];
  }

  public int resourceCount() {
    return total.length;
  }

  /** Returns how many distinct pod request vectors the unit has. */
  public int podShapeCount() {
    return pods.length;
  }

  /** Returns the request of resource {@code r} of distinct pod {@code p}, in milli-units. */
  public long pod(int p, int r) {
    return pods[p][r];
  }

  /** Returns text equal for units whose distinct pods are equal, for caching per-pod verdicts. */
  public String podSignature() {
    return podSignature;
  }

  /** Returns the distinct toleration lists of the members; a taint must be tolerated by each. */
  public List<List<Toleration>> tolerationSets() {
    return tolerationSets;
  }

  public List<ClusterAffinity> requiredAffinities() {
    return requiredAffinities;
  }

  public List<PreferredAffinity> preferredAffinities() {
    return preferredAffinities;
  }

  public int preferredWeightTotal() {
    return preferredWeightTotal;
  }

  public List<String> capabilities() {
    return capabilities;
  }

  /** Storage domain every cluster of a split group must have, or null for a whole group. */
  public String storageDomain() {
    return storageDomain;
  }

  public int neighbourCount() {
    return neighbours.length;
  }

  public int neighbour(int i) {
    return neighbours[i];
  }

  /** Cluster index where the unit's components run now, or -1. */
  public int stickyCluster() {
    return stickyCluster;
  }

  /**
   * Cluster index where every component of the unit runs now and is counted in the reported
   * usage, or -1. Its pods already have nodes there, so free node shapes need not hold them.
   */
  public int runningCluster() {
    return runningCluster;
  }

  /** Returns pod {@code p} as text, such as {@code {cpu: 4, nvidia.com/gpu: 2}}. */
  public String describePod(int p, ResourceLayout layout) {
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    for (int r = 0; r < pods[p].length; r++) {
      if (pods[p][r] != 0) {
        joiner.add(layout.name(r) + ": " + Quantity.format(pods[p][r]));
      }
    }
    return joiner.toString();
  }

  @Override
  public String toString() {
    return "unit " + index + " " + components;
  }

  /** Collects the parts of a unit that are not derived from its components. */
  public static final class Builder {
    private final int index;
    private final int group;
    private String storageDomain;
    private int[] neighbours = new int[0];
    private int stickyCluster = -1;
    private int runningCluster = -1;

    private Builder(int index, int group) {
      this.index = index;
      this.group = group;
    }

    public Builder storageDomain(String name) {
      this.storageDomain = name;
      return this;
    }

    public Builder neighbours(int[] unitIndices) {
      this.neighbours = unitIndices.clone();
      return this;
    }

    public Builder stickyCluster(int cluster) {
      this.stickyCluster = cluster;
      return this;
    }

    public Builder runningCluster(int cluster) {
      this.runningCluster = cluster;
      return this;
    }

    public PlacementUnit build(List<ComponentConstraints> members, ResourceLayout layout) {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("members: empty for unit " + index + " (expected at least one component)");
      }
      return new PlacementUnit(this, members, layout);
    }
  }
}
