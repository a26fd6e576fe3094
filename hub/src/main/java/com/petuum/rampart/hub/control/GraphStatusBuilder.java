package com.petuum.rampart.hub.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.common.status.Conditions;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Builds a hub graph's whole {@code status} for each state the controller can find it in. The
 * output depends only on the inputs and the stored status: a condition keeps its
 * {@code lastTransitionTime} while its status stays, so a reconcile that finds nothing new
 * builds the status that is stored and the controller writes nothing.
 *
 * <p>Conditions: {@code Validated}, {@code Scheduled}, {@code Ready} (every component deployed at
 * the current generation, so {@code kubectl wait --for=condition=Ready} works) and
 * {@code Degraded} (a component failed, or a cluster that runs part of the graph is not Ready).
 * Thread-safe.
 */
final class GraphStatusBuilder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;

  GraphStatusBuilder(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /** Builds the status of a graph that fails validation; its placement and components stay as stored. */
  ObjectNode invalid(JsonNode graph, String errors) {
    ObjectNode status = keep(graph, "Failed");
    status.put("reason", "GraphValidationError");
    status.put("messages", errors);
    conditions(status, graph,
        condition(graph, "Validated", false, "Invalid", errors),
        kept(graph, "Scheduled"),
        condition(graph, "Ready", false, "Invalid", "The graph is invalid; see the Validated condition."),
        kept(graph, "Degraded"));
    return status;
  }

  /**
   * Builds the status of a graph for which no placement exists; {@code summary} gives the reasons.
   * A graph placed before keeps its stored placement, components, flows and summary, because its
   * components keep running where they are.
   */
  ObjectNode unschedulable(JsonNode graph, String reason, String summary) {
    Optional<Placement> stored = Placement.read(graph);
    ObjectNode status = stored.isPresent() ? keep(graph, "Unschedulable") : base(graph, "Unschedulable");
    status.put("reason", reason);
    status.put("messages", summary);
    String readyMessage;
    ObjectNode degraded;
    if (stored.isPresent()) {
      readyMessage = "Generation " + graph.path("metadata").path("generation").asLong()
          + " cannot be placed, so the components keep running as placed for generation "
          + stored.get().generation() + "; see the Scheduled condition.";
      degraded = kept(graph, "Degraded");
    } else {
      status.putObject("summary").put("clusters", "").put("ready", "0/" + componentCount(graph));
      readyMessage = "No placement exists; see the Scheduled condition.";
      degraded = condition(graph, "Degraded", false, "Unschedulable", "");
    }
    conditions(status, graph,
        condition(graph, "Validated", true, "Valid", ""),
        condition(graph, "Scheduled", false, reason, summary),
        condition(graph, "Ready", false, "Unschedulable", readyMessage),
        degraded);
    return status;
  }

  /** Builds the status of a graph with {@code spec.deploy: false}; {@code finished} once every member removed its slice. */
  ObjectNode undeployed(JsonNode graph, boolean finished, Set<String> waitingFor) {
    ObjectNode status = base(graph, finished ? "Undeployed" : "Undeploying");
    status.put("messages", finished ? "" : "Waiting for " + String.join(", ", waitingFor) + " to remove the graph.");
    status.putObject("summary").put("clusters", "").put("ready", "0/" + componentCount(graph));
    conditions(status, graph,
        condition(graph, "Validated", true, "Valid", ""),
        condition(graph, "Scheduled", false, "Undeployed", "spec.deploy is false"),
        condition(graph, "Ready", false, "Undeployed", "spec.deploy is false"),
        condition(graph, "Degraded", false, "Undeployed", ""));
    return status;
  }

  /** Builds the status of a graph being deleted while {@code waitingFor} still hold slices of it. */
  ObjectNode deleting(JsonNode graph, Set<String> waitingFor) {
    ObjectNode status = keep(graph, "Deleting");
    status.put("messages", waitingFor.isEmpty() ? "" : "Waiting for " + String.join(", ", waitingFor)
        + " to remove the graph.");
    return status;
  }

  /**
   * Builds the status of a placed graph.
   *
   * @param components every component's view, in the order of the spec
   * @param unreadyClusters clusters of the placement whose MemberCluster is not Ready
   */
  ObjectNode placed(JsonNode graph, Placement placement, Map<String, ComponentView> components, Set<String> unreadyClusters) {
    long generation = graph.path("metadata").path("generation").asLong();
    long deployed = components.values().stream().filter(c -> c.deployedAt(generation)).count();
    long failed = components.values().stream().filter(c -> ComponentView.FAILED.equals(c.phase())).count();
    String phase = failed > 0 ? (deployed > 0 ? "DeployedWithErrors" : "Failed")
        : deployed == components.size() ? "Deployed" : "Deploying";
    ObjectNode status = base(graph, phase);
    status.set("placement", placement.toJson());

    StringBuilder failures = new StringBuilder();
    ObjectNode entries = status.putObject("components");
    components.forEach((name, view) -> {
      ObjectNode entry = entries.putObject(name);
      entry.put("cluster", view.cluster());
      entry.put("namespace", view.namespace());
      entry.put("phase", view.phase());
      entry.put("message", view.message());
      entry.put("observedGeneration", view.observedGeneration());
      entry.put("observedAt", view.observedAt().toString());
      ArrayNode endpoints = entry.putArray("endpoints");
      view.endpoints().forEach(endpoints::add);
      if (ComponentView.FAILED.equals(view.phase())) {
        failures.append(failures.length() == 0 ? "" : "\n").append(name).append(" on ").append(view.cluster())
            .append(": ").append(view.message());
      }
    });
    status.put("reason", failed > 0 ? "GraphDeploymentError" : "");
    status.put("messages", failures.toString());
    status.set("flows", flows(graph, placement.clusters()));
    status.putObject("summary")
        .put("clusters", String.join(",", placement.clusterSet()))
        .put("ready", deployed + "/" + components.size());

    String placedMessage = placementMessage(placement);
    String readyMessage = deployed == components.size() ? ""
        : (components.size() - deployed) + " of " + components.size() + " components are not deployed at generation "
            + generation + ".";
    String degradedReason = failed > 0 ? "ComponentFailed" : unreadyClusters.isEmpty() ? "AsExpected" : "ClusterNotReady";
    String degradedMessage = failed > 0 ? failures.toString()
        : unreadyClusters.isEmpty() ? "" : "Member clusters not Ready: " + String.join(", ", new TreeSet<>(unreadyClusters))
            + "; their components keep running there while the hub cannot see them.";
    conditions(status, graph,
        condition(graph, "Validated", true, "Valid", ""),
        condition(graph, "Scheduled", true, "Placed", placedMessage),
        condition(graph, "Ready", deployed == components.size(), phase, readyMessage),
        condition(graph, "Degraded", failed > 0 || !unreadyClusters.isEmpty(), degradedReason, degradedMessage));
    return status;
  }

  /** Returns a sentence such as "uploader, executor on gpu-east; serving on cpu-onprem". */
  static String placementMessage(Placement placement) {
    StringBuilder message = new StringBuilder();
    for (String cluster : placement.clusterSet()) {
      TreeSet<String> names = new TreeSet<>();
      placement.clusters().forEach((component, c) -> {
        if (c.equals(cluster)) {
          names.add(component);
        }
      });
      message.append(message.length() == 0 ? "" : "; ").append(String.join(", ", names)).append(" on ").append(cluster);
    }
    return message.toString();
  }

  private static ObjectNode flows(JsonNode graph, SortedMap<String, String> clusters) {
    ObjectNode flows = JSON.createObjectNode();
    JsonNode components = graph.path("spec").path("graph").path("components");
    for (Iterator<Map.Entry<String, JsonNode>> it = graph.path("spec").path("graph").path("flows").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> flow = it.next();
      TreeSet<String> flowClusters = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> c = components.fields(); c.hasNext(); ) {
        Map.Entry<String, JsonNode> component = c.next();
        if (touches(component.getValue(), flow.getKey()) && clusters.containsKey(component.getKey())) {
          flowClusters.add(clusters.get(component.getKey()));
        }
      }
      String type = flow.getValue().path("type").asText();
      String backing = switch (type) {
        case "pulsar" -> "pulsar";
        case "repository" -> flow.getValue().path("config").hasNonNull("remote") ? "remote"
            : flowClusters.size() > 1 ? "storageDomain" : "volume";
        default -> flowClusters.size() > 1 ? "storageDomain" : "volume";
      };
      ObjectNode entry = flows.putObject(flow.getKey());
      entry.put("backing", backing);
      ArrayNode list = entry.putArray("clusters");
      flowClusters.forEach(list::add);
    }
    return flows;
  }

  private static boolean touches(JsonNode component, String flow) {
    for (String side : new String[] {"inputs", "outputs"}) {
      for (JsonNode edge : component.path(side)) {
        if (flow.equals(edge.path("flow").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static int componentCount(JsonNode graph) {
    return graph.path("spec").path("graph").path("components").size();
  }

  /** Starts a status that replaces placement, components and flows. */
  private static ObjectNode base(JsonNode graph, String phase) {
    ObjectNode status = JSON.createObjectNode();
    status.put("phase", phase);
    status.put("observedGeneration", graph.path("metadata").path("generation").asLong());
    return status;
  }

  /** Starts a status that keeps the stored placement, components, flows and summary. */
  private static ObjectNode keep(JsonNode graph, String phase) {
    JsonNode stored = graph.path("status");
    ObjectNode status = stored.isObject() ? ((ObjectNode) stored).deepCopy() : JSON.createObjectNode();
    status.put("phase", phase);
    status.put("observedGeneration", graph.path("metadata").path("generation").asLong());
    return status;
  }

  private static void conditions(ObjectNode status, JsonNode graph, ObjectNode... conditions) {
    ArrayNode list = status.putArray("conditions");
    for (ObjectNode condition : conditions) {
      if (condition != null) {
        list.add(condition);
      }
    }
  }

  /** Returns the stored condition of this type unchanged, or null when there is none. */
  private static ObjectNode kept(JsonNode graph, String type) {
    for (JsonNode existing : graph.path("status").path("conditions")) {
      if (type.equals(existing.path("type").asText())) {
        return ((ObjectNode) existing).deepCopy();
      }
    }
    return null;
  }

  private ObjectNode condition(JsonNode graph, String type, boolean value, String reason, String message) {
    return Conditions.of(graph, type, value, reason, message, clock.instant());
  }
}
