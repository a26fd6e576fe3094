package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;

/**
 * Rejects clusters without the spread's topology label when the graph must spread, because such
 * a cluster belongs to no domain that could be counted.
 */
public final class SpreadTopologyFilter implements FilterPlugin {

  public static final String NAME = "SpreadTopology";
  /** Followed by the topology key. */
  public static final String MISSING_TOPOLOGY_LABEL = "lack label %s that spread needs";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return state.spread() != null;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    if (state.spreadDomain(cluster) >= 0) {
      return true;
    }
    if (reasons.collecting()) {
      reasons.add(Reason.of(NAME, String.format(MISSING_TOPOLOGY_LABEL, state.spread().topologyKey())));
    }
    return false;
  }
}
