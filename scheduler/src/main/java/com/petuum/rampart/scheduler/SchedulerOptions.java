package com.petuum.rampart.scheduler;

/**
 * Bounds of the assignment search.
 *
 * @param alternativesPerGroup how many clusters, best first, the search tries for one group
 *     before backtracking further up
 * @param searchBudget how many assignments one graph may try in all before the scheduler gives
 *     up with {@link Decision.Status#SEARCH_EXHAUSTED}
 */
public record SchedulerOptions(int alternativesPerGroup, int searchBudget) {

  public static final SchedulerOptions DEFAULTS = new SchedulerOptions(4, 500);

  public SchedulerOptions {
    if (alternativesPerGroup < 1) {
      throw new IllegalArgumentException("alternativesPerGroup: " + alternativesPerGroup + " (expected 1 or more)");
    }
    if (searchBudget < 1) {
      throw new IllegalArgumentException("searchBudget: " + searchBudget + " (expected 1 or more)");
    }
  }
}
