package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.assign.Evaluator;
import com.petuum.rampart.scheduler.assign.PreparedUnit;
import com.petuum.rampart.scheduler.assign.Search;
import com.petuum.rampart.scheduler.explain.ReasonSummary;
import com.petuum.rampart.scheduler.framework.CycleState;
import com.petuum.rampart.scheduler.framework.PlacementUnit;
import com.petuum.rampart.scheduler.framework.ResourceLayout;
import com.petuum.rampart.scheduler.group.ColocationGroup;
import com.petuum.rampart.scheduler.group.ColocationGroups;
import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.policy.ComponentConstraints;
import com.petuum.rampart.scheduler.policy.PolicyNotFoundException;
import com.petuum.rampart.scheduler.policy.PolicyResolver;
import com.petuum.rampart.scheduler.policy.ResolvedPlacement;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One run of the scheduler for one graph: resolve the policy, form groups, lay out capacity,
 * split groups that fit nowhere whole, search, and write the decision.
 *
 * <p>Not thread-safe; used once, by the thread that created it. It is one class of over 400
 * lines because every step reads and writes the same cycle state: the groups, the layout, the
 * base feasibility and the split domains.
 */
final class SchedulingCycle {

  private final PluginRegistry registry;
  private final SchedulerOptions options;
  private final ScheduleRequest request;
  private final boolean explain;

  private ResolvedPlacement resolved;
  private List<ColocationGroup> groups;
  private ResourceLayout layout;
  private CycleState state;
  private Evaluator evaluator;
  private int[] baseFeasible;
  private ReasonSummary[] baseSummaries;
  private final TreeMap<Integer, String> splitDomains = new TreeMap<>();

  SchedulingCycle(PluginRegistry registry, SchedulerOptions options, ScheduleRequest request, boolean explain) {
    this.registry = registry;
    this.options = options;
    this.request = request;
    this.explain = explain;
  }

  Decision run() {
    Graph graph = request.graph();
    try {
      resolved = PolicyResolver.resolve(graph, request.policies());
    } catch (PolicyNotFoundException e) {
      return Decision.invalid(graph.key(), e.getMessage());
    }

    groups = ColocationGroups.of(graph);
    ClusterInventory inventory = request.inventory();
    layout = ResourceLayout.of(inventory, resolved.components().values());
    state = new CycleState(inventory, layout, resolved.spec(), baseFree(inventory));
    evaluator = new Evaluator(registry, state);

    // Whole groups against the capacity left by other graphs: how many clusters each fits.
    List<PlacementUnit> wholeUnits = new ArrayList<>();
    for (ColocationGroup group : groups) {
      wholeUnits.add(unitFor(wholeUnits.size(), group, group.components(), null, neighbourArray(group.neighbours())));
    }
    state.startSearch(wholeUnits);
    List<PreparedUnit> wholePrepared = new ArrayList<>();
    wholeUnits.forEach(unit -> wholePrepared.add(evaluator.narrowToCapacity(evaluator.prepare(unit))));
    evaluateBase(wholePrepared);
    List<List<Candidate>> baseCandidates = explain ? candidateTables(wholePrepared, groups.size() - 1) : null;
    findSplits();

    // The units of the search: whole groups, and the components of split groups one by one,
    // each limited to the clusters with room before the search, since the search only takes room.
    List<PreparedUnit> prepared = new ArrayList<>();
    if (splitDomains.isEmpty()) {
      prepared.addAll(wholePrepared);
    } else {
      List<PlacementUnit> searchUnits = searchUnits();
      state.startSearch(searchUnits);
      searchUnits.forEach(unit -> prepared.add(evaluator.narrowToCapacity(evaluator.prepare(unit))));
    }

    String spreadProblem = spreadPrecheck(prepared);
    Search.Result result;
    if (spreadProblem != null) {
      result = new Search.Result(false, new int[0], 0, true, null, null);
    } else {
      Search search = new Search(evaluator, prepared, options);
      Search.Result impossible = search.failFast();
      result = impossible != null ? impossible : search.run();
    }
    return result.found()
        ? placedDecision(prepared, result, baseCandidates)
        : failedDecision(result, spreadProblem, baseCandidates);
  }

  /**
   * Free capacity minus other graphs' reservations, plus this graph's own reported usage. That
   * usage is what each component was placed with, not what an update requests.
   */
  private long[] baseFree(ClusterInventory inventory) {
    long[] free = inventory.copyAvailable();
    request.ledger().forEachReservation(
        request.graph().key(), (cluster, amount) -> addTo(free, inventory, inventory.indexOf(cluster), amount, -1));

    PreviousPlacement previous = request.previous();
    if (previous.usageReported()) {
      previous.components().forEach(
          (component, cluster) -> {
            ComponentConstraints constraints = resolved.components().get(component);
            if (constraints == null) {
              return;
            }
            ResourceList used = previous.requests().getOrDefault(component, constraints.totalRequests());
            addTo(free, inventory, inventory.indexOf(cluster), used, +1);
          });
    }
    return free;
  }

  private static void addTo(long[] free, ClusterInventory inventory, int cluster, ResourceList amount, int sign) {
    if (cluster < 0) {
      return;
    }
    amount.milli().forEach(
        (name, milli) -> {
          int r = inventory.resourceIndex(name);
          if (r >= 0) {
            free[cluster * inventory.resourceCount() + r] += sign * milli;
          }
        });
  }

  private PlacementUnit unitFor(int index, ColocationGroup group, List<String> components, String storageDomain, int[] neighbours) {
    List<ComponentConstraints> members = new ArrayList<>();
    components.forEach(name -> members.add(resolved.components().get(name)));
    return PlacementUnit.builder(index, group.index())
        .storageDomain(storageDomain)
        .neighbours(neighbours)
        .stickyCluster(stickyCluster(components))
        .runningCluster(runningCluster(components))
        .build(members, layout);
  }

  private static int[] neighbourArray(List<Integer> indices) {
    return indices.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Returns the cluster where all {@code components} run, with their usage reported and the
   * requests they were placed with unchanged, or -1. Changed pods need their nodes checked again.
   */
  private int runningCluster(List<String> components) {
    if (!request.previous().usageReported()) {
      return -1;
    }
    int common = -1;
    for (String component : components) {
      ResourceList placedWith = request.previous().requests().get(component);
      ComponentConstraints constraints = resolved.components().get(component);
      if (placedWith != null && constraints != null && !placedWith.equals(constraints.totalRequests())) {
        return -1;
      }
      ClusterName current = request.previous().components().get(component);
      int cluster = current == null ? -1 : state.inventory().indexOf(current);
      if (cluster < 0 || (common >= 0 && cluster != common)) {
        return -1;
      }
      common = cluster;
    }
    return common;
  }

  /** Returns the cluster holding most of {@code components} now (lowest name on ties), or -1. */
  private int stickyCluster(List<String> components) {
    int[] counts = new int[state.inventory().size()];
    int best = -1;
    for (String component : components) {
      ClusterName current = request.previous().components().get(component);
      int cluster = current == null ? -1 : state.inventory().indexOf(current);
      if (cluster < 0) {
        continue;
      }
      counts[cluster]++;
      if (best < 0 || counts[cluster] > counts[best] || (counts[cluster] == counts[best] && cluster < best)) {
        best = cluster;
      }
    }
    return best;
  }

  /** Counts, per group, the clusters that can take it whole; {@code wholePrepared} must be narrowed to capacity. */
  private void evaluateBase(List<PreparedUnit> wholePrepared) {
    baseFeasible = new int[groups.size()];
    baseSummaries = new ReasonSummary[groups.size()];
    for (PreparedUnit prepared : wholePrepared) {
      int g = prepared.unit().group();
      for (boolean feasible : prepared.feasible()) {
        baseFeasible[g] += feasible ? 1 : 0;
      }
      if (baseFeasible[g] == 0) {
        ReasonSummary summary = new ReasonSummary();
        for (int c = 0; c < state.inventory().size(); c++) {
          summary.add(evaluator.reasons(prepared.unit(), c, groups.size() - 1));
        }
        baseSummaries[g] = summary;
      }
    }
  }

  /**
   * For each bound group that fits no single cluster, picks the first storage domain, by name,
   * whose clusters together have room for the group and where each component fits some cluster.
   *
   * <p>NOTE: the first such domain is taken even if the search then fails in it while a later
   * domain would have worked; trying each domain in turn would multiply the search cost.
   */
  private void findSplits() {
    for (ColocationGroup group : groups) {
      if (baseFeasible[group.index()] > 0 || group.bindingFlows().isEmpty() || group.components().size() < 2) {
        continue;
      }
      for (String domain : state.inventory().storageDomainNames()) {
        if (everyComponentFits(group, domain)) {
          splitDomains.put(group.index(), domain);
          break;
        }
      }
    }
  }

  private boolean everyComponentFits(ColocationGroup group, String domain) {
    if (!domainHoldsGroup(group, domain)) {
      return false;
    }
    for (String component : group.components()) {
      PreparedUnit prepared = evaluator.prepare(unitFor(0, group, List.of(component), domain, new int[0]));
      boolean fits = false;
      for (int c = 0; c < state.inventory().size() && !fits; c++) {
        fits = prepared.feasible()[c] && evaluator.capacityFits(prepared.unit(), c);
      }
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether the domain has two or more clusters whose free capacity adds up to the group's total. */
  private boolean domainHoldsGroup(ColocationGroup group, String domain) {
    PlacementUnit whole = unitFor(0, group, group.components(), null, new int[0]);
    int members = 0;
    long[] free = new long[layout.size()];
    for (int c = 0; c < state.inventory().size(); c++) {
      if (!state.inventory().hasStorageDomain(c, domain)) {
        continue;
      }
      members++;
      for (int r = 0; r < layout.size(); r++) {
        free[r] += Math.max(0, state.free(c, r));
      }
    }
    for (int r = 0; r < layout.size(); r++) {
      if (free[r] < whole.total(r)) {
        return false;
      }
    }
    return members >= 2;
  }

  private List<PlacementUnit> searchUnits() {
    // First number the units of each group, then wire neighbours by group.
    List<List<Integer>> unitsOfGroup = new ArrayList<>();
    int next = 0;
    for (ColocationGroup group : groups) {
      List<Integer> indices = new ArrayList<>();
      int count = splitDomains.containsKey(group.index()) ? group.components().size() : 1;
      for (int i = 0; i < count; i++) {
        indices.add(next++);
      }
      unitsOfGroup.add(indices);
    }

    List<PlacementUnit> units = new ArrayList<>();
    for (ColocationGroup group : groups) {
      String domain = splitDomains.get(group.index());
      List<Integer> own = unitsOfGroup.get(group.index());
      TreeSet<Integer> neighbourSet = new TreeSet<>();
      group.neighbours().forEach(other -> neighbourSet.addAll(unitsOfGroup.get(other)));
      if (domain == null) {
        units.add(unitFor(own.get(0), group, group.components(), null, neighbourArray(new ArrayList<>(neighbourSet))));
        continue;
      }
      for (int i = 0; i < group.components().size(); i++) {
        TreeSet<Integer> withSiblings = new TreeSet<>(neighbourSet);
        withSiblings.addAll(own);
        withSiblings.remove(own.get(i));
        units.add(unitFor(own.get(i), group, List.of(group.components().get(i)), domain, neighbourArray(new ArrayList<>(withSiblings))));
      }
    }
    return units;
  }

  /** Returns why the spread constraint cannot be met whatever the assignment, or null. */
  private String spreadPrecheck(List<PreparedUnit> prepared) {
    SpreadConstraint spread = state.spread();
    if (spread == null) {
      return null;
    }
    if (prepared.size() < spread.minDomains()) {
      return "spread over " + spread.topologyKey() + " needs minDomains " + spread.minDomains() + ", but the graph has only "
          + prepared.size() + " co-location group(s) to place (join fewer components with volume flows, or lower minDomains)";
    }
    TreeSet<Integer> reachable = new TreeSet<>();
    for (PreparedUnit unit : prepared) {
      for (int c = 0; c < state.inventory().size(); c++) {
        if (unit.feasible()[c]) {
          reachable.add(state.spreadDomain(c));
        }
      }
    }
    if (reachable.size() < spread.minDomains()) {
      return "spread over " + spread.topologyKey() + " needs minDomains " + spread.minDomains() + ", but the clusters that fit span only "
          + reachable.size() + " domain(s)";
    }
    return null;
  }

  /** Returns, per group index, the candidate table of its whole unit; {@code units} are in group order. */
  private List<List<Candidate>> candidateTables(List<PreparedUnit> units, int unitsLeftAfter) {
    List<List<Candidate>> tables = new ArrayList<>();
    for (PreparedUnit prepared : units) {
      tables.add(candidateTable(prepared, unitsLeftAfter));
    }
    return tables;
  }

  private List<Candidate> candidateTable(PreparedUnit prepared, int unitsLeftAfter) {
    List<Candidate> candidates = new ArrayList<>();
    for (int c = 0; c < state.inventory().size(); c++) {
      List<String> reasons = new ArrayList<>();
      evaluator.reasons(prepared.unit(), c, unitsLeftAfter).forEach(reason -> reasons.add(reason.text()));
      boolean feasible = reasons.isEmpty();
      int score = feasible ? evaluator.normalisedScore(prepared, c) : 0;
      candidates.add(new Candidate(state.inventory().name(c), feasible, reasons, score));
    }
    candidates.sort(
        java.util.Comparator.comparing((Candidate candidate) -> !candidate.feasible())
            .thenComparingInt(candidate -> -candidate.score())
            .thenComparing(Candidate::cluster));
    return candidates;
  }

  private Decision placedDecision(List<PreparedUnit> prepared, Search.Result result, List<List<Candidate>> baseCandidates) {
    TreeMap<String, ClusterName> placements = new TreeMap<>();
    TreeMap<ClusterName, ResourceList> reservations = new TreeMap<>();
    for (PreparedUnit unit : prepared) {
      ClusterName cluster = state.inventory().name(result.assignment()[unit.unit().index()]);
      unit.unit().components().forEach(component -> placements.put(component, cluster));
      reservations.merge(cluster, totalOf(unit.unit()), ResourceList::plus);
    }
    reservations.values().removeIf(ResourceList::isEmpty);

    List<GroupOutcome> outcomes = new ArrayList<>();
    for (ColocationGroup group : groups) {
      String domain = splitDomains.get(group.index());
      ClusterName cluster = domain == null ? placements.get(group.components().get(0)) : null;
      List<Candidate> candidates = List.of();
      if (explain) {
        candidates = domain == null ? finalCandidates(prepared, group) : baseCandidates.get(group.index());
      }
      outcomes.add(new GroupOutcome(group.components(), cluster, domain, baseFeasible[group.index()], candidates, null));
    }
    return Decision.placed(
        request.graph().key(), placements, outcomes, reservations, placedSummary(placements), resolved.source(),
        request.ledger().version(), result.steps());
  }

  /** Rates every cluster for a placed whole group, with the rest of the graph where it went. */
  private List<Candidate> finalCandidates(List<PreparedUnit> prepared, ColocationGroup group) {
    for (PreparedUnit unit : prepared) {
      if (unit.unit().group() != group.index()) {
        continue;
      }
      int cluster = state.assignment(unit.unit().index());
      state.unassign(unit.unit());
      List<Candidate> table = candidateTable(unit, 0);
      state.assign(unit.unit(), cluster);
      return table;
    }
    throw new AssertionError("no unit for group " + group.index());
  }

  private ResourceList totalOf(PlacementUnit unit) {
    TreeMap<String, Long> amounts = new TreeMap<>();
    for (int r = 0; r < layout.size(); r++) {
      if (unit.total(r) != 0) {
        amounts.put(layout.name(r), unit.total(r));
      }
    }
    return new ResourceList(amounts);
  }

  private String placedSummary(SortedMap<String, ClusterName> placements) {
    TreeMap<ClusterName, List<String>> byCluster = new TreeMap<>();
    placements.forEach((component, cluster) -> byCluster.computeIfAbsent(cluster, key -> new ArrayList<>()).add(component));
    List<String> parts = new ArrayList<>();
    byCluster.forEach((cluster, components) -> parts.add(cluster + " (" + String.join(", ", components) + ")"));
    String splits = splitDomains.isEmpty()
        ? ""
        : "; split over storage domain " + String.join(", ", new TreeSet<>(splitDomains.values()));
    return "placed " + placements.size() + " component(s) on " + byCluster.size() + " cluster(s): " + String.join(", ", parts)
        + splits + "; placement from " + resolved.source();
  }

  private Decision failedDecision(Search.Result result, String spreadProblem, List<List<Candidate>> baseCandidates) {
    List<GroupOutcome> outcomes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (ColocationGroup group : groups) {
      String summary = groupFailure(group, result);
      if (summary != null) {
        lines.add("group " + group.components() + ": " + summary);
      }
      List<Candidate> candidates = explain ? baseCandidates.get(group.index()) : List.of();
      outcomes.add(new GroupOutcome(group.components(), null, null, baseFeasible[group.index()], candidates, summary));
    }
    if (spreadProblem != null) {
      lines.add(0, spreadProblem);
    }

    Decision.Status status = result.complete() ? Decision.Status.UNSCHEDULABLE : Decision.Status.SEARCH_EXHAUSTED;
    String head = status == Decision.Status.UNSCHEDULABLE
        ? "graph " + request.graph().key() + " is unschedulable"
        : "graph " + request.graph().key() + " was not placed: the search gave up after " + result.steps()
            + " assignment(s) (budget " + options.searchBudget() + ", " + options.alternativesPerGroup()
            + " clusters tried per group), so a placement may still exist";
    String summary = head + "; placement from " + resolved.source() + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines));
    return Decision.notPlaced(request.graph().key(), status, outcomes, summary, resolved.source(), request.ledger().version(), result.steps());
  }

  private String groupFailure(ColocationGroup group, Search.Result result) {
    int g = group.index();
    if (baseFeasible[g] == 0 && !splitDomains.containsKey(g)) {
      String text = baseSummaries[g].describe();
      if (!group.bindingFlows().isEmpty() && group.components().size() > 1) {
        text += "; and no storage domain has room for each of its components";
      }
      return text;
    }
    if (result.failedUnit() == null || result.failedUnit().group() != g) {
      return null;
    }
    if (splitDomains.containsKey(g)) {
      return "fits no cluster whole, so its components were split over storage domain " + splitDomains.get(g)
          + ", but component " + result.failedUnit().components().get(0)
          + " found no cluster after this graph's other groups were assigned: " + result.failedSummary();
    }
    return "the group fits " + baseFeasible[g] + " cluster(s) alone, but after this graph's other groups were assigned "
        + result.failedSummary();
  }
}
