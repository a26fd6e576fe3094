package com.petuum.rampart.scheduler;

import com.petuum.rampart.scheduler.ledger.Ledger;
import com.petuum.rampart.scheduler.ledger.LedgerSnapshot;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a whole graph on member clusters, or explains why it cannot.
 *
 * <p>Immutable and thread-safe. {@link #schedule} is a pure function of its request: the same
 * request gives an equal decision, whatever the order of clusters, policies or components in it.
 *
 * <ul>
 *   <li>Components joined by a volume flow, or a repository flow without a remote, form a
 *       co-location group that goes to one cluster; when no cluster can take it whole, its
 *       components may split over clusters that share a storage domain.
 *   <li>Filters reject clusters per group; scores rank the rest; groups are assigned largest
 *       first with bounded backtracking. The result places every component or none.
 * </ul>
 */
public final class Scheduler {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  /** Retries of {@link #scheduleAndReserve} when other commits keep winning. */
  static final int MAX_COMMIT_ATTEMPTS = 100;

  private final PluginRegistry registry;
  private final SchedulerOptions options;

  public Scheduler(PluginRegistry registry, SchedulerOptions options) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.options = Objects.requireNonNull(options, "options");
  }

  public static Scheduler withDefaults() {
    return new Scheduler(PluginRegistry.defaults(), SchedulerOptions.DEFAULTS);
  }

  /** Decides a placement without per-cluster tables; groups carry summaries only when not placed. */
  public Decision schedule(ScheduleRequest request) {
    Decision decision = new SchedulingCycle(registry, options, request, false).run();
    log.debug("Scheduled graph. graph={} status={} steps={}", decision.graph(), decision.status(), decision.searchSteps());
    return decision;
  }

  /** Decides like {@link #schedule} and adds, per group, every cluster's verdict, reasons and score. */
  public Decision explain(ScheduleRequest request) {
    return new SchedulingCycle(registry, options, request, true).run();
  }

  /**
   * Schedules against the ledger's current reservations and, when placed, reserves what the
   * placement takes. If another graph committed in between, schedules again, so two graphs
   * cannot both take the last free capacity. The request's own ledger snapshot is ignored.
   *
   * @throws IllegalStateException when {@value #MAX_COMMIT_ATTEMPTS} attempts in a row lost
   */
  public Decision scheduleAndReserve(ScheduleRequest request, Ledger ledger) {
    for (int attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      LedgerSnapshot snapshot = ledger.snapshot();
      Decision decision = schedule(request.withLedger(snapshot));
      if (!decision.schedulable()) {
        return decision;
      }
      if (ledger.commit(decision.graph(), decision.reservations(), snapshot.version())) {
        return decision;
      }
      log.debug("Ledger changed while scheduling; retrying. graph={} attempt={}", decision.graph(), attempt);
    }
    throw new IllegalStateException(
        "graph " + request.graph().key() + ": ledger changed during each of " + MAX_COMMIT_ATTEMPTS + " scheduling attempts");
  }
}
