package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.scheduler.model.Failover;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, for a placed graph with components on clusters that are not Ready, whether they move.
 * Immutable.
 *
 * <ul>
 *   <li>Without failover in the graph's placement, nothing moves: the components stay where they
 *       run, and a reschedule for a new generation treats those clusters as Ready.
 *   <li>With failover, a cluster is abandoned once its {@code Ready} condition has been other than
 *       {@code True} for {@code tolerationSeconds}, measured from the condition's
 *       {@code lastTransitionTime}, or from the start of this leader's term plus the heartbeat
 *       grace when that is later: a new leader first lets the agents reconnect, since a stale
 *       condition may only mean that no hub was listening.
 *   <li>Never while more than half of all member clusters are not Ready: that pattern means the
 *       hub lost its own connectivity, not that the clusters failed.
 * </ul>
 *
 * @param abandon clusters whose components are placed again now
 * @param keep unready clusters whose components stay; a reschedule treats them as Ready
 * @param recheckAfter when the next cluster's toleration ends, if one is still counting
 * @param held true when failover was due but held because most clusters are silent
 * @param graceful whether the abandoned clusters keep their slices until the new placement is ready
 */
record FailoverCheck(Set<String> abandon, Set<String> keep, Optional<Duration> recheckAfter, boolean held,
    boolean graceful) {

  FailoverCheck {
    abandon = Set.copyOf(abandon);
    keep = Set.copyOf(keep);
    requireNonNull(recheckAfter, "recheckAfter");
  }

  static final FailoverCheck NONE = new FailoverCheck(Set.of(), Set.of(), Optional.empty(), false, true);

  /**
   * Evaluates the check.
   *
   * @param placed the clusters of the graph's current placement
   * @param members every MemberCluster as the hub lists it
   * @param countFrom no toleration counts from before this instant: the start of this leader's
   *     term plus the time agents need to reconnect
   */
  static FailoverCheck evaluate(
      Set<String> placed, List<JsonNode> members, Failover failover, Instant now, Instant countFrom) {
    Set<String> unready = new TreeSet<>();
    int silent = 0;
    for (JsonNode member : members) {
      if (!ready(member)) {
        silent++;
        String name = member.path("metadata").path("name").asText();
        if (placed.contains(name)) {
          unready.add(name);
        }
      }
    }
    if (unready.isEmpty()) {
      return NONE;
    }
    if (failover == null || !failover.enabled()) {
      return new FailoverCheck(Set.of(), unready, Optional.empty(), false, true);
    }
    boolean majoritySilent = silent * 2 > members.size();
    Set<String> abandon = new TreeSet<>();
    Set<String> keep = new TreeSet<>();
    Duration nextEnd = null;
    for (JsonNode member : members) {
      String name = member.path("metadata").path("name").asText();
      if (!unready.contains(name)) {
        continue;
      }
      Instant since = unreadySince(member, now);
      Instant counted = since.isBefore(countFrom) ? countFrom : since;
      Instant tolerationEnds = counted.plusSeconds(failover.tolerationSeconds());
      if (!now.isBefore(tolerationEnds) && !majoritySilent) {
        abandon.add(name);
      } else {
        keep.add(name);
        if (now.isBefore(tolerationEnds)) {
          Duration remaining = Duration.between(now, tolerationEnds);
          nextEnd = nextEnd == null || remaining.compareTo(nextEnd) < 0 ? remaining : nextEnd;
        }
      }
    }
    boolean held = majoritySilent && nextEnd == null;
    // While most clusters are silent, look again periodically: the hub may regain its view.
    Optional<Duration> recheck = Optional.ofNullable(nextEnd).or(() -> held ? Optional.of(Duration.ofSeconds(5)) : Optional.empty());
    return new FailoverCheck(abandon, keep, recheck, held, failover.graceful());
  }

  static boolean ready(JsonNode member) {
    for (JsonNode condition : member.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  private static Instant unreadySince(JsonNode member, Instant now) {
    for (JsonNode condition : member.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        try {
          return Instant.parse(condition.path("lastTransitionTime").asText());
        } catch (DateTimeParseException e) {
          return now;
        }
      }
    }
    return now;
  }
}
