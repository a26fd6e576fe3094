package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import java.util.List;

/**
 * Rejects clusters with a {@code NoSchedule} or {@code NoExecute} taint that some component of
 * the unit does not tolerate. {@code PreferNoSchedule} taints only lower the score.
 */
public final class TaintTolerationFilter implements FilterPlugin {

  public static final String NAME = "TaintToleration";
  /** Followed by the taint as {@code key=value:Effect}. */
  public static final String UNTOLERATED_TAINT = "had untolerated taint %s";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    if (!state.inventory().hasTaints(cluster)) {
      return true;
    }
    boolean fits = true;
    for (Taint taint : state.inventory().cluster(cluster).taints()) {
      if (taint.effect() == TaintEffect.PREFER_NO_SCHEDULE || toleratedByAll(unit, taint)) {
        continue;
      }
      if (!reasons.collecting()) {
        return false;
      }
      reasons.add(Reason.of(NAME, String.format(UNTOLERATED_TAINT, taint)));
      fits = false;
    }
    return fits;
  }

  /** Returns whether every component's tolerations cover {@code taint}. */
  static boolean toleratedByAll(PlacementUnit unit, Taint taint) {
    for (List<Toleration> tolerations : unit.tolerationSets()) {
      if (!tolerates(tolerations, taint)) {
        return false;
      }
    }
    return true;
  }

  private static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    for (Toleration toleration : tolerations) {
      if (toleration.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }
}
