package com.petuum.rampart.scheduler.assign;

import com.petuum.rampart.scheduler.PluginRegistry;
import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.FilterPlugin;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.Reason;
import com.petuum.rampart.scheduler.framework.ReasonSink;
import com.petuum.rampart.scheduler.framework.WeightedScore;
import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the registry's plugins and the spread rule for one scheduling cycle.
 *
 * <p>Not thread-safe: confined to the cycle's thread, like its {@link CycleState}. Results of the
 * capacity-independent filters are cached per distinct set of constraints, because the units of
 * a graph usually share them.
 */
public final class Evaluator {

  public static final String SPREAD = "Spread";
  /** Followed by the limit and the topology key. */
  public static final String SPREAD_MAX_EXCEEDED = "would exceed maxComponentsPerDomain %d in their %s domain";
  /** Followed by minDomains and the topology key. */
  public static final String SPREAD_TOO_FEW_DOMAINS = "would leave too few groups to reach minDomains %d over %s";

  static final int SPREAD_OK = 0;
  static final int SPREAD_MAX = 1;
  static final int SPREAD_MIN = 2;

  private final CycleState state;
  private final List<FilterPlugin> filters;
  private final List<FilterPlugin> staticFilters = new ArrayList<>();
  private final List<FilterPlugin> capacityFilters = new ArrayList<>();
  private final List<WeightedScore> scores;
  private final Map<StaticKey, boolean[]> staticCache = new HashMap<>();

  /** The constraints the capacity-independent filters read. */
  private record StaticKey(
      List<List<Toleration>> tolerations,
      List<ClusterAffinity> affinities,
      List<String> capabilities,
      String storageDomain,
      String pods,
      int runningCluster) {}

  public Evaluator(PluginRegistry registry, CycleState state) {
    this.state = state;
    this.filters = registry.filters();
    for (FilterPlugin filter : filters) {
      (filter.dependsOnCapacity() ? capacityFilters : staticFilters).add(filter);
    }
    this.scores = registry.scores();
  }

  public CycleState state() {
    return state;
  }

  /** Precomputes the static verdicts and active scores of {@code unit}. */
  public PreparedUnit prepare(PlacementUnit unit) {
    StaticKey key = new StaticKey(
        unit.tolerationSets(), unit.requiredAffinities(), unit.capabilities(), unit.storageDomain(), unit.podSignature(), unit.runningCluster());
    boolean[] feasible = staticCache.computeIfAbsent(key, ignored -> computeStatic(unit));

    List<ScorePlugin> active = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (WeightedScore score : scores) {
      if (score.plugin().appliesTo(unit, state)) {
        active.add(score.plugin());
        weights.add(score.weight());
      }
    }
    int[] weightArray = weights.stream().mapToInt(Integer::intValue).toArray();
    int weightTotal = weights.stream().mapToInt(Integer::intValue).sum();
    return new PreparedUnit(unit, feasible, active.toArray(new ScorePlugin[0]), weightArray, weightTotal, size(unit));
  }

  /**
   * Returns {@code prepared} limited to the clusters that also pass the capacity filters now.
   * Valid for a whole search started from this state, because assignments only take capacity.
   */
  public PreparedUnit narrowToCapacity(PreparedUnit prepared) {
    boolean[] feasible = prepared.feasible().clone();
    for (int c = 0; c < feasible.length; c++) {
      feasible[c] = feasible[c] && capacityFits(prepared.unit(), c);
    }
    return new PreparedUnit(prepared.unit(), feasible, prepared.scores(), prepared.weights(), prepared.weightTotal(), prepared.size());
  }

  private boolean[] computeStatic(PlacementUnit unit) {
    List<FilterPlugin> active = new ArrayList<>();
    for (FilterPlugin filter : staticFilters) {
      if (filter.appliesTo(unit, state)) {
        active.add(filter);
      }
    }
    FilterPlugin[] filters = active.toArray(new FilterPlugin[0]);
    boolean[] feasible = new boolean[state.inventory().size()];
    for (int c = 0; c < feasible.length; c++) {
      boolean fits = true;
      for (int f = 0; f < filters.length && fits; f++) {
        fits = filters[f].filter(unit, c, state, ReasonSink.DISCARD);
      }
      feasible[c] = fits;
    }
    return feasible;
  }

  /** Largest share of any resource the unit requests, relative to the biggest cluster. */
  private double size(PlacementUnit unit) {
    double largest = 0;
    for (int r = 0; r < state.layout().size(); r++) {
      if (unit.total(r) == 0) {
        continue;
      }
      long biggest = r < state.layout().inventoryCount() ? state.inventory().maxAllocatable(r) : 0;
      largest = Math.max(largest, biggest == 0 ? Double.MAX_VALUE : (double) unit.total(r) / biggest);
    }
    return largest;
  }

  /** Returns whether the capacity-dependent filters pass in the current state. */
  public boolean capacityFits(PlacementUnit unit, int cluster) {
    for (FilterPlugin filter : capacityFilters) {
      if (!filter.filter(unit, cluster, state, ReasonSink.DISCARD)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the spread rule for putting {@code unit} on {@code cluster} now, with
   * {@code unitsLeftAfter} units still to place after it.
   */
  int spreadVerdict(PlacementUnit unit, int cluster, int unitsLeftAfter) {
    SpreadConstraint spread = state.spread();
    if (spread == null) {
      return SPREAD_OK;
    }
    int domain = state.spreadDomain(cluster);
    if (domain < 0) {
      return SPREAD_OK;
    }
    int inDomain = state.componentsInDomain(domain);
    if (spread.maxComponentsPerDomain() > 0 && inDomain + unit.componentCount() > spread.maxComponentsPerDomain()) {
      return SPREAD_MAX;
    }
    int domainsAfter = state.usedDomains() + (inDomain == 0 ? 1 : 0);
    if (domainsAfter + unitsLeftAfter < spread.minDomains()) {
      return SPREAD_MIN;
    }
    return SPREAD_OK;
  }

  /** Returns the weighted sum of the unit's active scores for {@code cluster}. */
  public long weightedScore(PreparedUnit prepared, int cluster) {
    long total = 0;
    ScorePlugin[] plugins = prepared.scores();
    int[] weights = prepared.weights();
    for (int i = 0; i < plugins.length; i++) {
      total += (long) weights[i] * plugins[i].score(prepared.unit(), cluster, state);
    }
    return total;
  }

  /** Returns the weighted score brought back to 0 to 100. */
  public int normalisedScore(PreparedUnit prepared, int cluster) {
    return prepared.weightTotal() == 0 ? 0 : (int) (weightedScore(prepared, cluster) / prepared.weightTotal());
  }

  /** Returns every reason the unit cannot go to {@code cluster} now; empty when it can. */
  public List<Reason> reasons(PlacementUnit unit, int cluster, int unitsLeftAfter) {
    ReasonSink.Collecting sink = ReasonSink.collect();
    for (FilterPlugin filter : filters) {
      if (filter.dependsOnCapacity() || filter.appliesTo(unit, state)) {
        filter.filter(unit, cluster, state, sink);
      }
    }
    List<Reason> reasons = new ArrayList<>(sink.reasons());
    if (reasons.isEmpty()) {
      int spread = spreadVerdict(unit, cluster, unitsLeftAfter);
      SpreadConstraint constraint = state.spread();
      if (spread == SPREAD_MAX) {
        reasons.add(Reason.of(SPREAD, String.format(SPREAD_MAX_EXCEEDED, constraint.maxComponentsPerDomain(), constraint.topologyKey())));
      } else if (spread == SPREAD_MIN) {
        reasons.add(Reason.of(SPREAD, String.format(SPREAD_TOO_FEW_DOMAINS, constraint.minDomains(), constraint.topologyKey())));
      }
    }
    return reasons;
  }
}
