package com.petuum.rampart.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.agent.slice.LocalGraphWriter;
import com.petuum.rampart.proto.v1.ComponentStatus;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.proto.v1.WorkStatus;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the status of a hub-owned local graph into the {@link WorkStatus} the hub receives.
 * Stateless and thread-safe.
 *
 * <ul>
 *   <li>key: the {@code rampart.petuum.com/hub-uid} annotation and the graph's namespace and name;
 *   <li>generation: the {@code rampart.petuum.com/hub-generation} annotation, the hub's
 *       generation of the slice, passed back unchanged;
 *   <li>phase: {@code status.phase};
 *   <li>message: {@code status.messages}, or the {@code Ready} condition's message when that is
 *       empty. For a component that Helm failed, {@code status.messages} contains Helm's message;
 *   <li>components: per entry of {@code status.components}, its name, namespace, phase, message
 *       and endpoints.
 * </ul>
 */
final class LocalGraphStatuses {

  private LocalGraphStatuses() {}

  /**
   * Returns the report for {@code graph}, or empty when there is nothing true to report yet: the
   * graph is not hub-owned, lacks the hub annotations, has no phase, or its status describes an
   * older spec ({@code status.observedGeneration} below {@code metadata.generation}). A graph
   * being deleted is reported whatever its observed generation, because deletion itself raises the
   * generation of a custom resource.
   */
  static Optional<WorkStatus> of(JsonNode graph) {
    JsonNode metadata = graph.path("metadata");
    if (!"hub".equals(metadata.path("labels").path(LocalGraphWriter.OWNED_BY_LABEL).asText())) {
      return Optional.empty();
    }
    String hubUid = metadata.path("annotations").path(LocalGraphWriter.HUB_UID_ANNOTATION).asText();
    Optional<Long> hubGeneration = parseGeneration(
        metadata.path("annotations").path(LocalGraphWriter.HUB_GENERATION_ANNOTATION).asText());
    JsonNode status = graph.path("status");
    String phase = text(status.path("phase"));
    if (hubUid.isEmpty() || hubGeneration.isEmpty() || phase.isEmpty()) {
      return Optional.empty();
    }
    boolean deleting = metadata.hasNonNull("deletionTimestamp");
    if (!deleting && status.path("observedGeneration").asLong() < metadata.path("generation").asLong()) {
      return Optional.empty();
    }

    WorkStatus.Builder report = WorkStatus.newBuilder()
        .setKey(WorkKey.newBuilder()
            .setGraphUid(hubUid)
            .setGraphNamespace(metadata.path("namespace").asText())
            .setGraphName(metadata.path("name").asText()))
        .setGeneration(hubGeneration.get())
        .setPhase(phase)
        .setMessage(message(status));
    Iterator<Map.Entry<String, JsonNode>> components = status.path("components").fields();
    while (components.hasNext()) {
      Map.Entry<String, JsonNode> entry = components.next();
      JsonNode component = entry.getValue();
      ComponentStatus.Builder item = ComponentStatus.newBuilder()
          .setName(entry.getKey())
          .setNamespace(text(component.path("namespace")))
          .setPhase(text(component.path("phase")))
          .setMessage(text(component.path("message")));
      component.path("endpoints").forEach(endpoint -> item.addEndpoints(text(endpoint)));
      report.addComponents(item);
    }
    return Optional.of(report.build());
  }

  private static String message(JsonNode status) {
    String messages = text(status.path("messages"));
    if (!messages.isEmpty()) {
      return messages;
    }
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return text(condition.path("message"));
      }
    }
    return "";
  }

  /** Returns a string field's text, and "" for a missing or null one, where asText() returns "null". */
  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : "";
  }

  private static Optional<Long> parseGeneration(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
