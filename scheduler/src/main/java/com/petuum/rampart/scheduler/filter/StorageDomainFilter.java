package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;

/**
 * For a component of a group split over a storage domain, rejects clusters outside that
 * domain, since the group's volume and repository flows reach only clusters that share it.
 */
public final class StorageDomainFilter implements FilterPlugin {

  public static final String NAME = "StorageDomain";
  /** Followed by the storage domain name. */
  public static final String OUTSIDE_DOMAIN = "lack storage domain %s";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return unit.storageDomain() != null;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    if (state.inventory().hasStorageDomain(cluster, unit.storageDomain())) {
      return true;
    }
    if (reasons.collecting()) {
      reasons.add(Reason.of(NAME, String.format(OUTSIDE_DOMAIN, unit.storageDomain())));
    }
    return false;
  }
}
