package com.petuum.rampart.admission.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.rules.ChartRepositoryWarnings;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.NamespaceClaims;
import com.petuum.rampart.admission.rules.PolicyValidator;
import com.petuum.rampart.admission.rules.ValidationReport;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Validates RampartGraphs and PlacementPolicies on CREATE and UPDATE. Admits every other
 * operation and kind, and any object that is being deleted, so an invalid object stored before
 * this webhook existed can still lose its finalizers and go away. Thread-safe.
 */
final class ValidationHandler implements ReviewHandler {

  private static final Logger log = LoggerFactory.getLogger(ValidationHandler.class);

  private final GraphValidator graphs;
  private final PolicyValidator policies;
  private final Optional<NamespaceClaimSource> claims;

  /**
   * Creates a handler; with {@code claims}, graphs are also checked against the component
   * namespaces of the other graphs stored in the cluster.
   */
  ValidationHandler(GraphValidator graphs, PolicyValidator policies, Optional<NamespaceClaimSource> claims) {
    this.graphs = graphs;
    this.policies = policies;
    this.claims = claims;
  }

  @Override
  public ObjectNode handle(JsonNode review) {
    JsonNode request = review.path("request");
    String operation = request.path("operation").asText("");
    String kind = request.path("kind").path("kind").asText("");
    JsonNode object = request.path("object");
    String namespace = request.path("namespace").asText(GraphValidator.DEFAULT_NAMESPACE);
    String name = object.path("metadata").path("name").asText(request.path("name").asText(""));

    if (!operation.equals("CREATE") && !operation.equals("UPDATE")) {
      return AdmissionResponses.allowed(review);
    }
    if (!object.path("metadata").path("deletionTimestamp").isMissingNode()
        && !object.path("metadata").path("deletionTimestamp").isNull()) {
      log.debug("Admitting an object that is being deleted. kind={} namespace={} name={}", kind, namespace, name);
      return AdmissionResponses.allowed(review);
    }

    JsonNode previous = operation.equals("UPDATE") ? request.path("oldObject") : null;
    if (kind.equals(GraphVersion.KIND)) {
      try (MDC.MDCCloseable ignored = MDC.putCloseable("graph", namespace + "/" + name)) {
        return validateGraph(review, object, previous, namespace, name, operation);
      }
    }
    if (kind.equals(PolicyValidator.KIND)) {
      return respond(review, policies.validate(object), kind, namespace, name, operation);
    }
    return AdmissionResponses.allowed(review);
  }

  private ObjectNode validateGraph(
      JsonNode review, JsonNode object, JsonNode previous, String namespace, String name, String operation) {
    if (claims.isEmpty()) {
      ValidationReport report =
          previous != null ? graphs.validateUpdate(object, previous, namespace) : graphs.validate(object, namespace);
      return respond(review, report, GraphVersion.KIND, namespace, name, operation);
    }
    NamespaceClaims stored;
    try {
      stored = claims.get().namespaceClaims();
    } catch (IOException e) {
      log.warn("Could not read the other graphs; denying so the client retries. namespace={} name={} error={}",
          namespace, name, e.getMessage());
      return AdmissionResponses.denied(
          review, AdmissionResponses.INTERNAL_ERROR, "InternalError",
          "the Rampart webhook could not read the other graphs to check namespace collisions (" + e.getMessage()
              + "); retry");
    }
    return respond(review, graphs.validate(object, previous, namespace, stored), GraphVersion.KIND, namespace, name, operation);
  }

  private static ObjectNode respond(
      JsonNode review, ValidationReport report, String kind, String namespace, String name, String operation) {
    if (report.isValid()) {
      List<String> warnings = kind.equals(GraphVersion.KIND)
          ? ChartRepositoryWarnings.of(review.path("request").path("object"))
          : List.of();
      return AdmissionResponses.allowedWithWarnings(review, warnings);
    }
    log.info(
        "Rejected an invalid object. kind={} namespace={} name={} operation={} errors={}",
        kind, namespace, name, operation, report.errors().size());
    return AdmissionResponses.invalid(review, kind, name, report.errors());
  }
}
