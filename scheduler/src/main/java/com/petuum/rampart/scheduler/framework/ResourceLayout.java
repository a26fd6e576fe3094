package com.petuum.rampart.scheduler.framework;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.policy.ComponentConstraints;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Resource indices for one scheduling cycle: the inventory's resources first, in the same
 * order, then resources only the graph requests, which no cluster has. Immutable.
 */
public final class ResourceLayout {

  private final String[] names;
  private final Map<String, Integer> indices = new HashMap<>();
  private final int inventoryCount;

  private ResourceLayout(String[] names, int inventoryCount) {
    this.names = names;
    this.inventoryCount = inventoryCount;
    for (int r = 0; r < names.length; r++) {
      indices.put(names[r], r);
    }
  }

  public static ResourceLayout of(ClusterInventory inventory, Collection<ComponentConstraints> components) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < inventory.resourceCount(); r++) {
      names.add(inventory.resourceName(r));
    }
    TreeSet<String> extras = new TreeSet<>();
    for (ComponentConstraints component : components) {
      for (PodSet pods : component.resources()) {
        for (String name : pods.requests().milli().keySet()) {
          if (inventory.resourceIndex(name) < 0) {
            extras.add(name);
          }
        }
      }
    }
    names.addAll(extras);
    return new ResourceLayout(names.toArray(new String[0]), inventory.resourceCount());
  }

  public int size() {
    return names.length;
  }

  /** Returns how many leading resources clusters report; indices from here on are 0 everywhere. */
  public int inventoryCount() {
    return inventoryCount;
  }

  public String name(int index) {
    return names[index];
  }

  public int indexOf(String name) {
    Integer index = indices.get(name);
    if (index == null) {
      throw new IllegalArgumentException("resource " + name + " is not in this cycle's layout (expected one of " + indices.keySet() + ")");
    }
    return index;
  }
}
