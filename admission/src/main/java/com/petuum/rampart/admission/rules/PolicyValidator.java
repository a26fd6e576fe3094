package com.petuum.rampart.admission.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates PlacementPolicy objects: selectors that parse, known operators, effects and
 * strategies, numbers in range, and affinities that can match some cluster. Never throws.
 * Stateless and thread-safe.
 */
public final class PolicyValidator {

  public static final String API_VERSION = "rampart.petuum.com/v1";
  public static final String KIND = "PlacementPolicy";

  private static final Logger log = LoggerFactory.getLogger(PolicyValidator.class);

  private final PlacementRules placementRules = new PlacementRules();

  public ValidationReport validate(JsonNode object) {
    ErrorCollector errors = new ErrorCollector();
    try {
      check(object, errors);
    } catch (RuntimeException e) {
      log.error("PlacementPolicy validation failed inside.", e);
      errors.add("", "internal error while validating the PlacementPolicy (" + e + "); report this as a bug in Rampart");
    }
    return new ValidationReport(errors.errors(), List.of());
  }

  private void check(JsonNode object, ErrorCollector errors) {
    if (!(object instanceof ObjectNode root)) {
      errors.add("", "a PlacementPolicy must be an object, not " + JsonFields.describe(object));
      return;
    }
    if (!API_VERSION.equals(root.path("apiVersion").asText())) {
      errors.add("apiVersion", "unsupported API version " + JsonFields.describe(root.get("apiVersion")) + "; use " + API_VERSION);
    }
    JsonNode spec = JsonFields.field(root, "spec");
    if (spec == null) {
      errors.add("spec", "is required; add at least a graphSelector and a clusterAffinity");
      return;
    }
    placementRules.checkPolicySpec(spec, "spec", errors);
  }
}
