package com.petuum.rampart.admission.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.conversion.ConversionException;
import com.petuum.rampart.admission.conversion.GraphConverter;
import com.petuum.rampart.admission.model.GraphVersion;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@code apiextensions.k8s.io/v1} ConversionReviews for RampartGraph. The whole review
 * fails when any object cannot be converted, as the apiserver requires. Thread-safe.
 */
final class ConversionHandler implements ReviewHandler {

  static final String API_VERSION = "apiextensions.k8s.io/v1";

  private static final Logger log = LoggerFactory.getLogger(ConversionHandler.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final GraphConverter converter;

  ConversionHandler(GraphConverter converter) {
    this.converter = converter;
  }

  @Override
  public ObjectNode handle(JsonNode review) {
    JsonNode request = review.path("request");
    String uid = request.path("uid").asText("");
    String desired = request.path("desiredAPIVersion").asText("");
    Optional<GraphVersion> target = GraphVersion.fromApiVersion(desired);
    if (target.isEmpty()) {
      return failure(uid, "cannot convert to \"" + desired + "\"; served versions are " + GraphVersion.servedApiVersions());
    }
    ArrayNode converted = NODES.arrayNode();
    for (JsonNode object : request.path("objects")) {
      try {
        converted.add(converter.convert(object, target.get()));
      } catch (ConversionException e) {
        String name = object.path("metadata").path("namespace").asText("") + "/" + object.path("metadata").path("name").asText("");
        log.warn("Conversion failed. name={} desiredAPIVersion={} error={}", name, desired, e.getMessage());
        return failure(uid, "cannot convert RampartGraph " + name + ": " + e.getMessage());
      }
    }
    ObjectNode answer = envelope();
    ObjectNode response = answer.putObject("response");
    response.put("uid", uid);
    response.set("convertedObjects", converted);
    response.putObject("result").put("status", "Success");
    return answer;
  }

  static ObjectNode failure(String uid, String message) {
    ObjectNode answer = envelope();
    ObjectNode response = answer.putObject("response");
    response.put("uid", uid);
    response.putArray("convertedObjects");
    response.putObject("result").put("status", "Failure").put("message", message);
    return answer;
  }

  private static ObjectNode envelope() {
    ObjectNode answer = NODES.objectNode();
    answer.put("apiVersion", API_VERSION);
    answer.put("kind", "ConversionReview");
    return answer;
  }
}
