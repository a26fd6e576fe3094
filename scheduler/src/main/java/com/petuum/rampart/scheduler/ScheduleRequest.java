package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.inventory.ClusterInventory;
import com.petuum.rampart.scheduler.ledger.LedgerSnapshot;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import java.util.List;
import java.util.Objects;

/**
 * Everything a placement depends on. The scheduler is a function of this record alone.
 *
 * @param policies PlacementPolicies of any namespace; only those in the graph's namespace apply
 * @param ledger reservations to subtract from free capacity, except the graph's own
 * @param previous the graph's current placement, for stickiness
 */
public record ScheduleRequest(
    Graph graph, List<PlacementPolicy> policies, ClusterInventory inventory, LedgerSnapshot ledger, PreviousPlacement previous) {

  public ScheduleRequest {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(inventory, "inventory");
    policies = List.copyOf(policies == null ? List.of() : policies);
    ledger = ledger == null ? LedgerSnapshot.EMPTY : ledger;
    previous = previous == null ? PreviousPlacement.NONE : previous;
  }

  public static ScheduleRequest of(Graph graph, ClusterInventory inventory) {
    return new ScheduleRequest(graph, List.of(), inventory, LedgerSnapshot.EMPTY, PreviousPlacement.NONE);
  }

  public ScheduleRequest withPolicies(List<PlacementPolicy> newPolicies) {
    return new ScheduleRequest(graph, newPolicies, inventory, ledger, previous);
  }

  public ScheduleRequest withLedger(LedgerSnapshot newLedger) {
    return new ScheduleRequest(graph, policies, inventory, newLedger, previous);
  }

  public ScheduleRequest withPrevious(PreviousPlacement newPrevious) {
    return new ScheduleRequest(graph, policies, inventory, ledger, newPrevious);
  }

  public ScheduleRequest withInventory(ClusterInventory newInventory) {
    return new ScheduleRequest(graph, policies, newInventory, ledger, previous);
  }
}
