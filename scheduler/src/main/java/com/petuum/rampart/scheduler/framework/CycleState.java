package com.petuum.rampart.scheduler.framework;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.model.Strategy;
import java.util.Arrays;
import java.util.List;

/**
 * The mutable state of scheduling one graph: free capacity after reservations and after the
 * units assigned so far, and where each unit went.
 *
 * <p>Not thread-safe: confined to the thread running one {@code Scheduler} call. Plugins read it;
 * only the scheduler changes it, through {@link #assign} and {@link #unassign}, which undo each
 * other exactly so that backtracking restores the state bit for bit.
 */
public final class CycleState {

  /** Label whose values count as the same region for locality. */
  public static final String REGION_LABEL = "topology.rampart.petuum.com/region";

  private final ClusterInventory inventory;
  private final ResourceLayout layout;
  private final PlacementSpec placement;
  private final long[] free;
  private final int[] regions;
  private final int[] spreadDomains;
  private final int[] componentsPerDomain;
  private int usedDomains;
  private final int[] unitsOnCluster;
  private List<PlacementUnit> units = List.of();
  private int[] assignment = new int[0];

  /**
   * Starts a cycle.
   *
   * @param free free capacity per cluster and inventory resource, flat; the state takes ownership
   */
  public CycleState(ClusterInventory inventory, ResourceLayout layout, PlacementSpec placement, long[] free) {
    this.inventory = inventory;
    this.layout = layout;
    this.placement = placement;
    this.free = free;
    this.regions = inventory.domains(REGION_LABEL);
    SpreadConstraint spread = placement.spread();
    this.spreadDomains = spread == null ? null : inventory.domains(spread.topologyKey());
    this.componentsPerDomain = spread == null ? null : new int[inventory.size()];
    this.unitsOnCluster = new int[inventory.size()];
  }

  public ClusterInventory inventory() {
    return inventory;
  }

  public ResourceLayout layout() {
    return layout;
  }

  public Strategy strategy() {
    return placement.strategyOrDefault();
  }

  /** Returns the spread constraint, or null. */
  public SpreadConstraint spread() {
    return placement.spread();
  }

  /** Returns the spread domain of a cluster (-1 when it lacks the label); only when spread is set. */
  public int spreadDomain(int cluster) {
    return spreadDomains[cluster];
  }

  public int componentsInDomain(int domain) {
    return componentsPerDomain[domain];
  }

  public int usedDomains() {
    return usedDomains;
  }

  /** Returns the region number of a cluster, or -1 when it has no region label. */
  public int region(int cluster) {
    return regions[cluster];
  }

  /** Returns free milli-units of resource {@code r} on {@code cluster}; 0 for resources no cluster has. */
  public long free(int cluster, int r) {
    return r < layout.inventoryCount() ? free[cluster * layout.inventoryCount() + r] : 0;
  }

  /** Sets the units of this cycle and clears every assignment. */
  public void startSearch(List<PlacementUnit> newUnits) {
    for (int u = 0; u < assignment.length; u++) {
      if (assignment[u] != -1) {
        throw new IllegalStateException("unit " + u + " is still assigned to cluster " + assignment[u] + " (expected every unit unassigned)");
      }
    }
    this.units = List.copyOf(newUnits);
    this.assignment = new int[units.size()];
    Arrays.fill(assignment, -1);
  }

  public List<PlacementUnit> units() {
    return units;
  }

  /** Returns how many of this cycle's units are assigned to {@code cluster}. */
  public int unitsOn(int cluster) {
    return unitsOnCluster[cluster];
  }

  /** Returns the cluster a unit is assigned to, or -1. */
  public int assignment(int unit) {
    return assignment[unit];
  }

  /** Assigns a unit to a cluster, taking its resources. */
  public void assign(PlacementUnit unit, int cluster) {
    if (assignment[unit.index()] != -1) {
      throw new IllegalStateException("unit " + unit.index() + " is already on cluster " + assignment[unit.index()]);
    }
    assignment[unit.index()] = cluster;
    unitsOnCluster[cluster]++;
    adjust(unit, cluster, -1);
    if (spreadDomains != null) {
      int domain = spreadDomains[cluster];
      if (componentsPerDomain[domain] == 0) {
        usedDomains++;
      }
      componentsPerDomain[domain] += unit.componentCount();
    }
  }

  /** Undoes {@link #assign}. */
  public void unassign(PlacementUnit unit) {
    int cluster = assignment[unit.index()];
    if (cluster == -1) {
      throw new IllegalStateException("unit " + unit.index() + " is not assigned");
    }
    assignment[unit.index()] = -1;
    unitsOnCluster[cluster]--;
    adjust(unit, cluster, +1);
    if (spreadDomains != null) {
      int domain = spreadDomains[cluster];
      componentsPerDomain[domain] -= unit.componentCount();
      if (componentsPerDomain[domain] == 0) {
        usedDomains--;
      }
    }
  }

  private void adjust(PlacementUnit unit, int cluster, int sign) {
    int resources = layout.inventoryCount();
    int base = cluster * resources;
    for (int r = 0; r < resources; r++) {
      free[base + r] += sign * unit.total(r);
    }
  }
}
