package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;

/**
 * Rejects clusters that lack a capability the unit needs: what its charts require, and
 * {@code pulsar} wherever a component uses a pulsar flow.
 */
public final class CapabilityFilter implements FilterPlugin {

  public static final String NAME = "Capability";
  /** Followed by the capability name. */
  public static final String MISSING_CAPABILITY = "lack capability %s";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return !unit.capabilities().isEmpty();
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    boolean fits = true;
    for (String capability : unit.capabilities()) {
      if (state.inventory().hasCapability(cluster, capability)) {
        continue;
      }
      if (!reasons.collecting()) {
        return false;
      }
      reasons.add(Reason.of(NAME, String.format(MISSING_CAPABILITY, capability)));
      fits = false;
    }
    return fits;
  }
}
