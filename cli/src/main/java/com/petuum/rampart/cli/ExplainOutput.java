package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.scheduler.Candidate;
import com.petuum.rampart.scheduler.Decision;
import com.petuum.rampart.scheduler.GroupOutcome;
import java.io.PrintWriter;
import java.util.List;

/** Prints explained decisions as a table for people or as JSON for tools. */
final class ExplainOutput {

  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ExplainOutput() {}

  /**
   * Writes {@code {"decisions": [...]}}. Each decision has {@code graph}, {@code schedulable},
   * {@code status}, {@code placements}, {@code groups} (with {@code components}, {@code cluster},
   * {@code storageDomain}, {@code feasibleClusters}, {@code candidates}) and {@code summary}.
   */
  static void printJson(List<Decision> decisions, PrintWriter out) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("decisions");
    for (Decision decision : decisions) {
      ObjectNode node = array.addObject();
      node.put("graph", decision.graph().toString());
      node.put("schedulable", decision.schedulable());
      node.put("status", decision.status().name());
      ObjectNode placements = node.putObject("placements");
      decision.placements().forEach((component, cluster) -> placements.put(component, cluster.value()));
      ArrayNode groups = node.putArray("groups");
      for (GroupOutcome group : decision.groups()) {
        ObjectNode groupNode = groups.addObject();
        ArrayNode components = groupNode.putArray("components");
        group.components().forEach(components::add);
        groupNode.put("cluster", group.cluster() == null ? null : group.cluster().value());
        if (group.storageDomain() != null) {
          groupNode.put("storageDomain", group.storageDomain());
        }
        groupNode.put("feasibleClusters", group.feasibleClusters());
        ArrayNode candidates = groupNode.putArray("candidates");
        for (Candidate candidate : group.candidates()) {
          ObjectNode candidateNode = candidates.addObject();
          candidateNode.put("cluster", candidate.cluster().value());
          candidateNode.put("feasible", candidate.feasible());
          ArrayNode reasons = candidateNode.putArray("reasons");
          candidate.reasons().forEach(reasons::add);
          candidateNode.put("score", candidate.score());
        }
      }
      node.put("placementSource", decision.placementSource());
      node.put("summary", decision.summary());
    }
    try {
      out.println(JSON.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write explain output as JSON", e);
    }
    out.flush();
  }

  /** Writes one block per decision: the verdict, then per group a table of clusters. */
  static void printText(List<Decision> decisions, PrintWriter out) {
    for (Decision decision : decisions) {
      out.println(decision.graph() + ": " + verdict(decision));
      for (GroupOutcome group : decision.groups()) {
        out.println("  group " + group.components() + " -> " + destination(group)
            + " (fits " + group.feasibleClusters() + " cluster(s) whole)");
        int width = "CLUSTER".length();
        for (Candidate candidate : group.candidates()) {
          width = Math.max(width, candidate.cluster().value().length());
        }
        if (!group.candidates().isEmpty()) {
          out.println("    " + pad("CLUSTER", width) + "  FEASIBLE  SCORE  REASONS");
        }
        for (Candidate candidate : group.candidates()) {
          out.println("    " + pad(candidate.cluster().value(), width) + "  "
              + pad(candidate.feasible() ? "yes" : "no", 8) + "  "
              + pad(candidate.feasible() ? String.valueOf(candidate.score()) : "-", 5) + "  "
              + String.join("; ", candidate.reasons()));
        }
      }
      for (String line : decision.summary().split("\n")) {
        out.println("  " + line);
      }
      out.println();
    }
    out.flush();
  }

  private static String verdict(Decision decision) {
    switch (decision.status()) {
      case PLACED:
        return "placed";
      case UNSCHEDULABLE:
        return "unschedulable";
      case SEARCH_EXHAUSTED:
        return "not placed (search budget exhausted)";
      default:
        return "invalid";
    }
  }

  private static String destination(GroupOutcome group) {
    if (group.cluster() != null) {
      return group.cluster().value();
    }
    if (group.storageDomain() != null) {
      return "split over storage domain " + group.storageDomain();
    }
    return "not placed";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
