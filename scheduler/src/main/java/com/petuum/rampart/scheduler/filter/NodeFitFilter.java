package com.petuum.rampart.scheduler.filter;

import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.resource.Quantity;

/**
 * Rejects clusters where some distinct pod of the unit fits on no free node shape, so that
 * enough GPUs in total but spread one per node do not count as room for a 2-GPU pod.
 *
 * <p>NOTE: node shapes are as the agent reported them; reservations and this graph's other
 * units are not subtracted from them, because the hub does not know which node a pod will use.
 * That keeps this filter independent of capacity taken during the search, so its verdicts are
 * computed once per unit.
 */
public final class NodeFitFilter implements FilterPlugin {

  public static final String NAME = "NodeFit";
  /** Followed by the amount and the resource. */
  public static final String LACK_ON_ONE_NODE = "lack %s %s on one node";
  /** Followed by the pod's requests, such as {@code {cpu: 4, nvidia.com/gpu: 2}}. */
  public static final String NO_NODE_FOR_POD = "have no single node with %s free";

  public static final String LARGEST_FREE = "largest free";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(PlacementUnit unit, CycleState state) {
    return unit.podShapeCount() > 0;
  }

  @Override
  public boolean filter(PlacementUnit unit, int cluster, CycleState state, ReasonSink reasons) {
    // The reported shapes already exclude the pods of a unit running here, which keep their nodes.
    if (cluster == unit.runningCluster()) {
      return true;
    }
    boolean fits = true;
    for (int p = 0; p < unit.podShapeCount(); p++) {
      if (podFitsSomeNode(unit, p, cluster, state)) {
        continue;
      }
      if (!reasons.collecting()) {
        return false;
      }
      explainPod(unit, p, cluster, state, reasons);
      fits = false;
    }
    return fits;
  }

  private static boolean podFitsSomeNode(PlacementUnit unit, int p, int cluster, CycleState state) {
    long[] shapes = state.inventory().nodeShapes(cluster);
    int stride = state.layout().inventoryCount();
    if (stride == 0) {
      return !requestsAnything(unit, p);
    }
    for (int base = 0; base < shapes.length; base += stride) {
      if (podFitsShape(unit, p, shapes, base, stride)) {
        return true;
      }
    }
    return false;
  }

  private static boolean podFitsShape(PlacementUnit unit, int p, long[] shapes, int base, int stride) {
    for (int r = 0; r < unit.resourceCount(); r++) {
      long request = unit.pod(p, r);
      if (request == 0) {
        continue;
      }
      long have = r < stride ? shapes[base + r] : 0;
      if (have < request) {
        return false;
      }
    }
    return true;
  }

  private static boolean requestsAnything(PlacementUnit unit, int p) {
    for (int r = 0; r < unit.resourceCount(); r++) {
      if (unit.pod(p, r) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Reports each resource no node has enough of, or, when each exists alone, the whole pod. */
  private static void explainPod(PlacementUnit unit, int p, int cluster, CycleState state, ReasonSink reasons) {
    long[] shapes = state.inventory().nodeShapes(cluster);
    int stride = state.layout().inventoryCount();
    boolean named = false;
    for (int r = 0; r < unit.resourceCount(); r++) {
      long request = unit.pod(p, r);
      if (request == 0) {
        continue;
      }
      long largest = 0;
      for (int base = 0; stride > 0 && base < shapes.length; base += stride) {
        largest = Math.max(largest, r < stride ? shapes[base + r] : 0);
      }
      if (largest < request) {
        String phrase = String.format(LACK_ON_ONE_NODE, Quantity.format(request), state.layout().name(r));
        reasons.add(Reason.observed(NAME, phrase, LARGEST_FREE, largest));
        named = true;
      }
    }
    if (!named) {
      reasons.add(Reason.of(NAME, String.format(NO_NODE_FOR_POD, unit.describePod(p, state.layout()))));
    }
  }
}
