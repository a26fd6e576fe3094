package com.petuum.rampart.admission.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates RampartGraph objects of every served version against all rules that need no cluster
 * state, and returns every error at once with its field path. Thread-safe and stateless, so the
 * hub, the agent and {@code rampartctl} share one instance.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Never throws</b> on any JSON input. A rule that fails inside is reported as an error
 *       at the root path that names the rule, and logged.
 *   <li><b>Complete</b>: schema errors do not hide semantic errors; rules run on whatever parsed.
 *   <li><b>Bounded</b>: an object over {@link GraphLimits#MAX_OBJECT_BYTES} is rejected for its
 *       size alone, without running the other rules on it.
 * </ul>
 */
public final class GraphValidator {

  /** Rules that need the state of member clusters or other graphs, which {@link #validate(JsonNode, String)} skips. */
  public static final List<String> CLUSTER_STATE_RULES =
      List.of(
          "component namespaces must not already exist on a member or belong to another graph",
          "pulsar flows need a member cluster that provides Pulsar",
          "charts must exist in their repository, and edges must match the inputs and outputs the chart declares");

  /** The rules still skipped when the namespaces of other graphs are given. */
  public static final List<String> MEMBER_STATE_RULES =
      List.of(
          "component namespaces must not already exist on a member",
          "pulsar flows need a member cluster that provides Pulsar",
          "charts must exist in their repository, and edges must match the inputs and outputs the chart declares");

  private static final Logger log = LoggerFactory.getLogger(GraphValidator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Namespace assumed for objects that name none, as kubectl does without a context namespace. */
  public static final String DEFAULT_NAMESPACE = "default";

  private final GraphParser parser = new GraphParser();
  private final List<GraphRule> rules =
      List.of(
          new FlowReferenceRule(),
          new EdgeNameRule(),
          new MountPathRule(),
          new NeedsRule(),
          new NameRule(),
          new NamespaceRule(),
          new IngressRule());
  private final ImmutableFieldRule immutableFieldRule = new ImmutableFieldRule();
  private final NamespaceClaimRule namespaceClaimRule = new NamespaceClaimRule();

  /**
   * Validates a graph being created.
   *
   * @param object the whole object: apiVersion, kind, metadata, spec
   * @param namespace the namespace to assume when {@code metadata.namespace} is empty
   */
  public ValidationReport validate(JsonNode object, String namespace) {
    ErrorCollector errors = new ErrorCollector();
    parseAndCheck(object, namespace, errors);
    return new ValidationReport(errors.errors(), CLUSTER_STATE_RULES);
  }

  /**
   * Validates a graph being created or updated, and also checks that none of its component
   * namespaces belongs to another graph.
   *
   * @param previous the stored object on an update, or null on a create
   * @param claims the component namespaces of every stored graph
   */
  public ValidationReport validate(JsonNode object, JsonNode previous, String namespace, NamespaceClaims claims) {
    ErrorCollector errors = new ErrorCollector();
    RampartGraph graph = parseAndCheck(object, namespace, errors);
    if (graph != null) {
      try {
        namespaceClaimRule.check(graph, claims, errors);
        if (previous != null) {
          checkImmutableFields(graph, previous, namespace, errors);
        }
      } catch (RuntimeException e) {
        reportInternalError("namespace claims and immutable fields", e, errors);
      }
    }
    return new ValidationReport(errors.errors(), MEMBER_STATE_RULES);
  }

  /**
   * Validates a graph being updated: every rule of {@link #validate}, plus the fields that a
   * deployed graph may not change.
   */
  public ValidationReport validateUpdate(JsonNode object, JsonNode previous, String namespace) {
    ErrorCollector errors = new ErrorCollector();
    RampartGraph updated = parseAndCheck(object, namespace, errors);
    if (updated != null && previous != null) {
      try {
        checkImmutableFields(updated, previous, namespace, errors);
      } catch (RuntimeException e) {
        reportInternalError("immutable fields", e, errors);
      }
    }
    return new ValidationReport(errors.errors(), CLUSTER_STATE_RULES);
  }

  private void checkImmutableFields(RampartGraph updated, JsonNode previous, String namespace, ErrorCollector errors) {
    RampartGraph before = parser.parse(previous, namespace, new ErrorCollector());
    String phase = previous.path("status").path("phase").asText("");
    immutableFieldRule.check(updated, before, phase, errors);
  }

  /** Parses and runs every rule; returns the parsed graph, or null when the object was too large. */
  private RampartGraph parseAndCheck(JsonNode object, String namespace, ErrorCollector errors) {
    int size = serializedSize(object);
    if (size > GraphLimits.MAX_OBJECT_BYTES) {
      errors.add(
          "",
          "the graph is " + size + " bytes as JSON, more than the limit of " + GraphLimits.MAX_OBJECT_BYTES
              + "; split it into smaller graphs or move large chart values into a ConfigMap");
      return null;
    }
    RampartGraph graph;
    try {
      graph = parser.parse(object, namespace, errors);
    } catch (RuntimeException e) {
      reportInternalError("schema", e, errors);
      return null;
    }
    for (GraphRule rule : rules) {
      try {
        rule.check(graph, errors);
      } catch (RuntimeException e) {
        reportInternalError(rule.getClass().getSimpleName(), e, errors);
      }
    }
    return graph;
  }

  private static int serializedSize(JsonNode object) {
    try {
      return JSON.writeValueAsBytes(object).length;
    } catch (JsonProcessingException e) {
      // A tree built by Jackson always serialises; an unexpected failure must not block validation.
      log.warn("Could not measure the graph's size; validating without the size limit.", e);
      return 0;
    }
  }

  private static void reportInternalError(String rule, RuntimeException e, ErrorCollector errors) {
    log.error("Validation rule failed inside. rule={}", rule, e);
    errors.add("", "internal error in validation rule \"" + rule + "\" (" + e + "); report this as a bug in Rampart");
  }
}
