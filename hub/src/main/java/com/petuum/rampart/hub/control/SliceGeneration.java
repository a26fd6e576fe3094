package com.petuum.rampart.hub.control;

/**
 * Numbers the slices of a graph that one cluster receives.
 *
 * <p>Within one generation of a hub graph, a cluster's slice can still grow: a component that
 * needs a component on another cluster joins the slice only once that one is ready. The protocol
 * acknowledges a slice by its generation alone, so each version of a slice needs a generation of
 * its own, and the generations must grow. A slice generation is therefore {@code graphGeneration
 * * 65536 + released}, where {@code released} counts the components in the slice; within one
 * graph generation a slice only ever gains components. A removal uses the largest number of its
 * graph generation, so it overtakes every slice of that generation and none of the next.
 *
 * <p>Agents report status with the slice generation; {@link #graphGeneration} maps it back.
 */
final class SliceGeneration {

  /** Slices per graph generation; more components than this cannot be in one graph. */
  static final long SLOTS = 65_536;

  private SliceGeneration() {}

  static long of(long graphGeneration, int releasedComponents) {
    if (graphGeneration < 1 || releasedComponents < 1 || releasedComponents >= SLOTS - 1) {
      throw new IllegalArgumentException("graphGeneration " + graphGeneration + ", releasedComponents "
          + releasedComponents + " (expected: generation 1 or more, 1 to " + (SLOTS - 2) + " components)");
    }
    return graphGeneration * SLOTS + releasedComponents;
  }

  static long removal(long graphGeneration) {
    return graphGeneration * SLOTS + SLOTS - 1;
  }

  static long graphGeneration(long sliceGeneration) {
    return sliceGeneration / SLOTS;
  }
}
