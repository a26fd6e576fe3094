package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.framework.ResourceLayout;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import com.petuum.rampart.scheduler.group.ColocationGroup;
import com.petuum.rampart.scheduler.group.ColocationGroups;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.policy.ComponentConstraints;
import com.petuum.rampart.scheduler.policy.PolicyResolver;
import com.petuum.rampart.scheduler.policy.ResolvedPlacement;
import java.util.ArrayList;
import java.util.List;

/** Runs single plugins against the whole-group units of a graph, for plugin unit tests. */
public final class Harness {

  private final ClusterInventory inventory;
  private final CycleState state;
  private final List<PlacementUnit> units = new ArrayList<>();

  public Harness(Graph graph, ClusterInventory inventory) {
    this.inventory = inventory;
    try {
      ResolvedPlacement resolved = PolicyResolver.resolve(graph, List.of());
      ResourceLayout layout = ResourceLayout.of(inventory, resolved.components().values());
      state = new CycleState(inventory, layout, resolved.spec(), inventory.copyAvailable());
      for (ColocationGroup group : ColocationGroups.of(graph)) {
        List<ComponentConstraints> members = new ArrayList<>();
        group.components().forEach(name -> members.add(resolved.components().get(name)));
        units.add(PlacementUnit.builder(units.size(), group.index())
            .neighbours(group.neighbours().stream().mapToInt(Integer::intValue).toArray())
            .build(members, layout));
      }
      state.startSearch(units);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public CycleState state() {
    return state;
  }

  public PlacementUnit unit(int index) {
    return units.get(index);
  }

  public int cluster(String name) {
    return inventory.indexOf(ClusterName.of(name));
  }

  /** Returns the fast verdict of {@code filter} for unit 0 on the named cluster. */
  public boolean passes(FilterPlugin filter, String cluster) {
    return filter.filter(units.get(0), cluster(cluster), state, ReasonSink.DISCARD);
  }

  /** Returns the texts of every reason {@code filter} gives for unit 0 on the named cluster. */
  public List<String> reasons(FilterPlugin filter, String cluster) {
    ReasonSink.Collecting sink = ReasonSink.collect();
    boolean passed = filter.filter(units.get(0), cluster(cluster), state, sink);
    List<String> texts = new ArrayList<>();
    sink.reasons().stream().map(Reason::text).forEach(texts::add);
    if (passed != texts.isEmpty()) {
      throw new AssertionError(filter.name() + " returned " + passed + " with reasons " + texts);
    }
    return texts;
  }

  public int score(ScorePlugin plugin, int unit, String cluster) {
    return plugin.score(units.get(unit), cluster(cluster), state);
  }
}
