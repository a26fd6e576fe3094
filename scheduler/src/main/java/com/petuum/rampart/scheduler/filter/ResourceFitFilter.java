package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.resource.Quantity;

/**
 * Rejects clusters without room for the unit's total: the reported free capacity, minus the
 * ledger's reservations, minus what this graph's other units took. {@link NodeFitFilter} checks
 * each pod against single nodes.
 */
public final class ResourceFitFilter implements FilterPlugin {

  public static final String NAME = "ResourceFit";
  /** Followed by the amount and the resource. */
  public static final String LACK_IN_TOTAL = "lack %s %s in total";
  public static final String FREE = "free";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean dependsOnCapacity() {
    return true;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    boolean fits = true;
    for (int r = 0; r < unit.resourceCount(); r++) {
      long demand = unit.total(r);
      if (demand == 0) {
        continue;
      }
      long free = state.free(cluster, r);
      if (free >= demand) {
        continue;
      }
      if (!reasons.collecting()) {
        return false;
      }
      String phrase = String.format(LACK_IN_TOTAL, Quantity.format(demand), state.layout().name(r));
      reasons.add(Reason.observed(NAME, phrase, FREE, Math.max(0, free)));
      fits = false;
    }
    return fits;
  }
}
