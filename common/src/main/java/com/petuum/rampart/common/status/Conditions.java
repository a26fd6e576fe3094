package com.petuum.rampart.common.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Builds Kubernetes-style status conditions for an object, as both the hub and the agent write
 * them on RampartGraphs.
 */
public final class Conditions {

  private Conditions() {}

  /**
   * Returns the condition {@code type} of {@code object}, with {@code observedGeneration} from its
   * metadata. {@code lastTransitionTime} is kept from the stored condition while its status stays
   * the same, and is {@code now} when it changes, so rewriting an unchanged condition changes
   * nothing.
   */
  public static ObjectNode of(JsonNode object, String type, boolean value, String reason, String message, Instant now) {
    String statusText = value ? "True" : "False";
    String transition = now.toString();
    for (JsonNode existing : object.path("status").path("conditions")) {
      if (type.equals(existing.path("type").asText()) && statusText.equals(existing.path("status").asText())
          && existing.hasNonNull("lastTransitionTime")) {
        transition = existing.path("lastTransitionTime").asText();
      }
    }
    ObjectNode condition = JsonNodeFactory.instance.objectNode();
    condition.put("type", type);
    condition.put("status", statusText);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", transition);
    condition.put("observedGeneration", object.path("metadata").path("generation").asLong());
    return condition;
  }
}
