package com.petuum.rampart.admission.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.rules.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Builds {@code admission.k8s.io/v1} AdmissionReview responses. */
final class AdmissionResponses {

  static final String API_VERSION = "admission.k8s.io/v1";

  /** HTTP status the apiserver itself uses for objects that fail validation. */
  static final int UNPROCESSABLE_ENTITY = 422;

  /** Status for a request the webhook could not decide, so the client may retry. */
  static final int INTERNAL_ERROR = 500;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AdmissionResponses() {}

  static ObjectNode allowed(JsonNode review) {
    return response(review, true);
  }

  static ObjectNode allowedWithWarnings(JsonNode review, List<String> warnings) {
    ObjectNode answer = allowed(review);
    addWarnings(answer, warnings);
    return answer;
  }

  static ObjectNode patched(JsonNode review, ArrayNode patch, List<String> warnings) {
    ObjectNode answer = allowedWithWarnings(review, warnings);
    if (!patch.isEmpty()) {
      ObjectNode response = (ObjectNode) answer.get("response");
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return answer;
  }

  /** Denies with every field error, one per line, also listed as status causes. */
  static ObjectNode invalid(JsonNode review, String kind, String name, List<FieldError> errors) {
    StringBuilder message = new StringBuilder();
    message.append(kind).append(" \"").append(name).append("\" is invalid: ").append(errors.size())
        .append(errors.size() == 1 ? " error" : " errors");
    for (FieldError error : errors) {
      message.append("\n  ").append(error.field().isEmpty() ? "(object)" : error.field()).append(": ").append(error.message());
    }
    ObjectNode answer = denied(review, UNPROCESSABLE_ENTITY, "Invalid", message.toString());
    ObjectNode details = ((ObjectNode) answer.get("response").get("status")).putObject("details");
    details.put("name", name);
    details.put("kind", kind);
    ArrayNode causes = details.putArray("causes");
    for (FieldError error : errors) {
      causes.addObject().put("reason", "FieldValueInvalid").put("field", error.field()).put("message", error.message());
    }
    return answer;
  }

  static ObjectNode denied(JsonNode review, int code, String reason, String message) {
    ObjectNode answer = response(review, false);
    ObjectNode status = ((ObjectNode) answer.get("response")).putObject("status");
    status.put("code", code);
    status.put("reason", reason);
    status.put("message", message);
    return answer;
  }

  private static ObjectNode response(JsonNode review, boolean allowed) {
    ObjectNode answer = NODES.objectNode();
    answer.put("apiVersion", API_VERSION);
    answer.put("kind", "AdmissionReview");
    ObjectNode response = answer.putObject("response");
    response.put("uid", review.path("request").path("uid").asText(""));
    response.put("allowed", allowed);
    return answer;
  }

  private static void addWarnings(ObjectNode answer, List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    ArrayNode list = ((ObjectNode) answer.get("response")).putArray("warnings");
    warnings.forEach(list::add);
  }
}
