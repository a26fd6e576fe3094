package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.filter.CapabilityFilter;
import com.petuum.rampart.scheduler.filter.ClusterAffinityFilter;
import com.petuum.rampart.scheduler.filter.ClusterReadyFilter;
import com.petuum.rampart.scheduler.filter.NodeFitFilter;
import com.petuum.rampart.scheduler.filter.ResourceFitFilter;
import com.petuum.rampart.scheduler.filter.SpreadTopologyFilter;
import com.petuum.rampart.scheduler.filter.StorageDomainFilter;
import com.petuum.rampart.scheduler.filter.TaintTolerationFilter;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import com.petuum.rampart.scheduler.framework.WeightedScore;
import com.petuum.rampart.scheduler.score.CapacityStrategyScore;
import com.petuum.rampart.scheduler.score.LocalityScore;
import com.petuum.rampart.scheduler.score.PreferredAffinityScore;
import com.petuum.rampart.scheduler.score.StickinessScore;
import com.petuum.rampart.scheduler.score.TaintPreferenceScore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The filter and score plugins a scheduler runs, in order. Immutable.
 *
 * <p>Adding a plugin is a class and a line in {@link #defaults()}.
 */
public record PluginRegistry(List<FilterPlugin> filters, List<WeightedScore> scores) {

  /**
   * Weight of stickiness. The other default weights add up to 5, so 100 points of stickiness
   * times 10 always beat 100 points of everything else times 5.
   */
  public static final int STICKINESS_WEIGHT = 10;

  public PluginRegistry {
    filters = List.copyOf(filters);
    scores = List.copyOf(scores);
    Set<String> names = new HashSet<>();
    filters.forEach(filter -> requireUnique(names, filter.name()));
    scores.forEach(score -> requireUnique(names, score.plugin().name()));
  }

  private static void requireUnique(Set<String> names, String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("plugin name " + name + " is registered twice (expected unique names)");
    }
  }

  /** Returns the built-in plugins. */
  public static PluginRegistry defaults() {
    return new PluginRegistry(
        List.of(
            new ClusterReadyFilter(),
            new TaintTolerationFilter(),
            new ClusterAffinityFilter(),
            new CapabilityFilter(),
            new SpreadTopologyFilter(),
            new StorageDomainFilter(),
            new ResourceFitFilter(),
            new NodeFitFilter()),
        List.of(
            new WeightedScore(new PreferredAffinityScore(), 1),
            new WeightedScore(new CapacityStrategyScore(), 1),
            new WeightedScore(new LocalityScore(), 2),
            new WeightedScore(new TaintPreferenceScore(), 1),
            new WeightedScore(new StickinessScore(), STICKINESS_WEIGHT)));
  }

  /** Returns the sum of all score weights, the divisor that brings a total back to 0 to 100. */
  public int totalWeight() {
    return scores.stream().mapToInt(WeightedScore::weight).sum();
  }

  public ScorePlugin score(String name) {
    return scores.stream()
        .map(WeightedScore::plugin)
        .filter(plugin -> plugin.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("score plugin " + name + " is not registered"));
  }
}
