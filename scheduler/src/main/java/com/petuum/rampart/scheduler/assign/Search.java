package com.petuum.rampart.scheduler.assign;

import com.petuum.rampart.scheduler.SchedulerOptions;
import com.petuum.rampart.scheduler.explain.ReasonSummary;
import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns units to clusters, largest unit first, by depth-first search with bounded
 * backtracking.
 *
 * <p>At each unit it keeps the {@code alternativesPerGroup} best clusters (highest score, then
 * lowest name) and tries them in order; every assignment tried counts against the search
 * budget. Not thread-safe: confined to one scheduling cycle.
 *
 * <p>The result distinguishes an exhausted search from an impossible one: {@link Result#complete()} is
 * true only when no candidate was skipped, so a failure then proves no placement exists.
 */
public final class Search {

  private final Evaluator evaluator;
  private final CycleState state;
  private final List<PreparedUnit> units;
  private final SchedulerOptions options;
  private final int[] order;
  private final int[][] bestClusters;
  private final long[][] bestScores;

  private int steps;
  private boolean budgetExhausted;
  private boolean candidatesSkipped;
  private int deepestFailure = -1;
  private PlacementUnit failedUnit;
  private String failedSummary;

  /**
   * Result of a search.
   *
   * @param assignment cluster index per unit index when found, else empty
   * @param complete whether every candidate was tried, so a failure is a proof
   * @param failedUnit the unit that had no cluster at the deepest point reached, or null
   * @param failedSummary why that unit had no cluster there, or null
   */
  public record Result(boolean found, int[] assignment, int steps, boolean complete, PlacementUnit failedUnit, String failedSummary) {}

  public Search(Evaluator evaluator, List<PreparedUnit> units, SchedulerOptions options) {
    this.evaluator = evaluator;
    this.state = evaluator.state();
    this.units = List.copyOf(units);
    this.options = options;
    this.order = sizeOrder(this.units);
    int alternatives = options.alternativesPerGroup();
    this.bestClusters = new int[units.size()][alternatives];
    this.bestScores = new long[units.size()][alternatives];
  }

  /** Orders unit indices largest first, then by more components, then by index. */
  private static int[] sizeOrder(List<PreparedUnit> units) {
    Integer[] boxed = new Integer[units.size()];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(
        boxed,
        Comparator.comparingDouble((Integer i) -> -units.get(i).size())
            .thenComparingInt(i -> -units.get(i).unit().componentCount())
            .thenComparingInt(i -> i));
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  /**
   * Returns a failed result without searching when some unit has no cluster with room even
   * before any assignment, because then no placement exists. Returns null otherwise.
   */
  public Result failFast() {
    for (PreparedUnit prepared : units) {
      boolean any = false;
      for (boolean allowed : prepared.feasible()) {
        any |= allowed;
      }
      if (!any) {
        recordFailure(prepared.unit(), 0, units.size() - 1);
        return new Result(false, new int[0], 0, true, failedUnit, failedSummary);
      }
    }
    return null;
  }

  public Result run() {
    boolean found = place(0);
    int[] assignment = new int[0];
    if (found) {
      assignment = new int[units.size()];
      for (int u = 0; u < assignment.length; u++) {
        assignment[u] = state.assignment(u);
      }
    }
    boolean complete = !budgetExhausted && !candidatesSkipped;
    return new Result(found, assignment, steps, complete, failedUnit, failedSummary);
  }

  private boolean place(int depth) {
    if (depth == order.length) {
      return true;
    }
    PreparedUnit prepared = units.get(order[depth]);
    int unitsLeftAfter = order.length - depth - 1;
    int found = collectBest(prepared, depth, unitsLeftAfter);
    if (found == 0) {
      recordFailure(prepared.unit(), depth, unitsLeftAfter);
      return false;
    }

    int tries = Math.min(found, bestClusters[depth].length);
    // Deeper levels write only their own rows, so this row survives their searches.
    int[] clusters = bestClusters[depth];
    for (int i = 0; i < tries; i++) {
      if (steps >= options.searchBudget()) {
        budgetExhausted = true;
        return false;
      }
      steps++;
      state.assign(prepared.unit(), clusters[i]);
      if (place(depth + 1)) {
        return true;
      }
      state.unassign(prepared.unit());
      if (budgetExhausted) {
        return false;
      }
    }
    if (found > tries) {
      candidatesSkipped = true;
    }
    return false;
  }

  /** Fills row {@code depth} with the best clusters in score order; returns how many were feasible. */
  private int collectBest(PreparedUnit prepared, int depth, int unitsLeftAfter) {
    int[] clusters = bestClusters[depth];
    long[] scores = bestScores[depth];
    int filled = 0;
    int feasible = 0;
    boolean[] allowed = prepared.feasible();
    for (int c = 0; c < allowed.length; c++) {
      // Allowed clusters had room when the search started; only clusters this graph uses since can have lost it.
      if (!allowed[c]
          || (state.unitsOn(c) > 0 && !evaluator.capacityFits(prepared.unit(), c))
          || evaluator.spreadVerdict(prepared.unit(), c, unitsLeftAfter) != Evaluator.SPREAD_OK) {
        continue;
      }
      feasible++;
      long score = evaluator.weightedScore(prepared, c);
      // Insertion into a short sorted row; equal scores keep the earlier, lower-named cluster first.
      int position = filled;
      while (position > 0 && scores[position - 1] < score) {
        position--;
      }
      if (position >= clusters.length) {
        continue;
      }
      int last = Math.min(filled, clusters.length - 1);
      for (int k = last; k > position; k--) {
        clusters[k] = clusters[k - 1];
        scores[k] = scores[k - 1];
      }
      clusters[position] = c;
      scores[position] = score;
      filled = Math.min(filled + 1, clusters.length);
    }
    return feasible;
  }

  private void recordFailure(PlacementUnit unit, int depth, int unitsLeftAfter) {
    if (depth <= deepestFailure) {
      return;
    }
    deepestFailure = depth;
    failedUnit = unit;
    ReasonSummary summary = new ReasonSummary();
    for (int c = 0; c < state.inventory().size(); c++) {
      summary.add(evaluator.reasons(unit, c, unitsLeftAfter));
    }
    failedSummary = summary.describe();
  }
}
