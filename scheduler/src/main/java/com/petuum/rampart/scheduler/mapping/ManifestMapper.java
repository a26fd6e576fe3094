package com.petuum.rampart.scheduler.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.scheduler.model.Chart;
import com.petuum.rampart.scheduler.model.ClusterAffinity;
import com.petuum.rampart.scheduler.model.ClusterName;
import com.petuum.rampart.scheduler.model.Component;
import com.petuum.rampart.scheduler.model.ComponentMatch;
import com.petuum.rampart.scheduler.model.ComponentPlacement;
import com.petuum.rampart.scheduler.model.ComponentRule;
import com.petuum.rampart.scheduler.model.Failover;
import com.petuum.rampart.scheduler.model.Flow;
import com.petuum.rampart.scheduler.model.FlowType;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.GraphKey;
import com.petuum.rampart.scheduler.model.LabelRequirement;
import com.petuum.rampart.scheduler.model.LabelSelector;
import com.petuum.rampart.scheduler.model.MemberCluster;
import com.petuum.rampart.scheduler.model.NodeShape;
import com.petuum.rampart.scheduler.model.PlacementPolicy;
import com.petuum.rampart.scheduler.model.PlacementSpec;
import com.petuum.rampart.scheduler.model.PodSet;
import com.petuum.rampart.scheduler.model.PolicyRef;
import com.petuum.rampart.scheduler.model.PreferredAffinity;
import com.petuum.rampart.scheduler.model.SelectorOperator;
import com.petuum.rampart.scheduler.model.SpreadConstraint;
import com.petuum.rampart.scheduler.model.StorageDomain;
import com.petuum.rampart.scheduler.model.Strategy;
import com.petuum.rampart.scheduler.model.Taint;
import com.petuum.rampart.scheduler.model.TaintEffect;
import com.petuum.rampart.scheduler.model.Toleration;
import com.petuum.rampart.scheduler.resource.ResourceList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps RampartGraph, MemberCluster and PlacementPolicy objects, as JSON trees of the
 * {@code rampart.petuum.com} API, to the scheduler's records.
 *
 * <p>Stateless. Every error of an object is reported at once, each with its field path. Fields
 * the scheduler does not use are ignored. RampartGraphs of {@code v1beta1} and {@code v1beta2}
 * have no resources or placement; any such fields in them are ignored.
 *
 * <p>One class of over 400 lines, because the three kinds share the readers of placement fields,
 * selectors, tolerations and resources.
 *
 * <p>One addition to the API: a component's {@code chart.requires} lists capabilities the chart
 * needs. The hub fills it from the chart's {@code requires} annotation; offline files may set it.
 */
public final class ManifestMapper {

  public static final String GROUP = "rampart.petuum.com";

  private ManifestMapper() {}

  /** Returns the kind of an object, or an empty string. */
  public static String kind(JsonNode object) {
    JsonNode kind = object == null ? null : object.get("kind");
    return kind == null || kind.isNull() ? "" : kind.asText();
  }

  /**
   * Returns the objects in a document: the document itself, or the items of a {@code List} such
   * as {@code kubectl get -o yaml} prints. Null and empty documents yield nothing.
   */
  public static List<JsonNode> objects(JsonNode document) {
    List<JsonNode> objects = new ArrayList<>();
    if (document == null || document.isNull() || document.isMissingNode() || (document.isObject() && document.isEmpty())) {
      return objects;
    }
    if (document.isObject() && kind(document).endsWith("List") && document.has("items")) {
      document.get("items").forEach(item -> objects.addAll(objects(item)));
      return objects;
    }
    objects.add(document);
    return objects;
  }

  public static Graph toGraph(JsonNode object) throws InvalidManifestException {
    FieldReader reader = new FieldReader();
    String version = apiVersion(object, "RampartGraph", reader);
    JsonNode metadata = object.get("metadata");
    String name = reader.requiredString(metadata, "name", "metadata.name");
    String namespace = orDefault(reader.string(metadata, "namespace", "metadata.namespace"), "default");
    Map<String, String> labels = reader.stringMap(metadata, "labels", "metadata.labels");
    Integer generation = reader.integer(metadata, "generation", "metadata.generation");
    boolean v1 = "v1".equals(version);

    JsonNode spec = object.get("spec");
    JsonNode graphNode = spec == null ? null : spec.get("graph");
    if (!FieldReader.present(graphNode)) {
      reader.error("spec.graph", "missing (expected components and flows)");
    }
    TreeMap<String, Flow> flows = new TreeMap<>();
    reader.map(graphNode, "flows", "spec.graph.flows").forEach(
        (flowName, flowNode) -> {
          String path = "spec.graph.flows." + flowName;
          FlowType type = reader.enumValue(flowNode, "type", path + ".type", text -> FlowType.fromApiName(path + ".type", text));
          if (type == null && reader.string(flowNode, "type", path + ".type") == null) {
            reader.error(path + ".type", "missing (expected volume, repository or pulsar)");
          }
          String remote = reader.string(flowNode.get("config"), "remote", path + ".config.remote");
          if (type != null) {
            flows.put(flowName, new Flow(flowName, type, remote));
          }
        });

    TreeMap<String, Component> components = new TreeMap<>();
    TreeMap<String, JsonNode> componentNodes = reader.map(graphNode, "components", "spec.graph.components");
    if (componentNodes.isEmpty() && FieldReader.present(graphNode)) {
      reader.error("spec.graph.components", "empty (expected at least one component)");
    }
    componentNodes.forEach(
        (componentName, node) -> components.put(componentName, component(componentName, node, flows, v1, reader)));

    PlacementSpec placement = PlacementSpec.EMPTY;
    PolicyRef policyRef = null;
    JsonNode placementNode = spec == null ? null : spec.get("placement");
    if (v1 && FieldReader.present(placementNode)) {
      placement = placementSpec(placementNode, "spec.placement", reader);
      JsonNode ref = placementNode.get("policyRef");
      if (FieldReader.present(ref)) {
        String refName = reader.requiredString(ref, "name", "spec.placement.policyRef.name");
        policyRef = refName == null || refName.isEmpty() ? null : new PolicyRef(refName);
      }
    }

    String description = "RampartGraph " + namespace + "/" + (name == null ? "?" : name);
    throwIfAny(description, reader);
    return new Graph(GraphKey.of(namespace, name), labels, generation == null ? 0 : generation, placement, policyRef, components, flows);
  }

  private static Component component(String name, JsonNode node, Map<String, Flow> flows, boolean v1, FieldReader reader) {
    String path = "spec.graph.components." + name;
    JsonNode chartNode = node.get("chart");
    Chart chart = null;
    if (FieldReader.present(chartNode)) {
      chart = new Chart(
          reader.string(chartNode, "repo", path + ".chart.repo"),
          reader.string(chartNode, "name", path + ".chart.name"),
          reader.string(chartNode, "version", path + ".chart.version"),
          reader.strings(chartNode, "requires", path + ".chart.requires"));
    }

    TreeSet<String> used = new TreeSet<>();
    for (String direction : List.of("inputs", "outputs")) {
      reader.map(node, direction, path + "." + direction).forEach(
          (edge, edgeNode) -> {
            String edgePath = path + "." + direction + "." + edge + ".flow";
            String flow = reader.requiredString(edgeNode, "flow", edgePath);
            if (flow == null || flow.isEmpty()) {
              return;
            }
            if (!flows.containsKey(flow)) {
              reader.error(edgePath, "flow \"" + flow + "\" not found (expected one of " + flows.keySet() + ")");
              return;
            }
            used.add(flow);
          });
    }

    List<PodSet> resources = new ArrayList<>();
    ComponentPlacement placement = ComponentPlacement.NONE;
    if (v1) {
      resources = podSets(node, "resources", path + ".resources", reader);
      JsonNode placementNode = node.get("placement");
      if (FieldReader.present(placementNode)) {
        placement = new ComponentPlacement(
            clusterAffinity(placementNode.get("clusterAffinity"), path + ".placement.clusterAffinity", reader),
            preferred(placementNode, path + ".placement.preferredAffinities", reader),
            tolerations(placementNode, path + ".placement.tolerations", reader));
      }
    }
    return new Component(name, chart, used, resources, placement);
  }

  private static List<PodSet> podSets(JsonNode parent, String field, String path, FieldReader reader) {
    List<PodSet> podSets = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(parent, field, path)) {
      Integer count = reader.integer(item.getValue(), "count", item.getKey() + ".count");
      if (count != null && count < 0) {
        reader.error(item.getKey() + ".count", count + " is negative (expected 0 or more pods)");
        continue;
      }
      TreeMap<String, String> requests = reader.stringMap(item.getValue(), "requests", item.getKey() + ".requests");
      ResourceList parsed = reader.attempt(item.getKey() + ".requests", () -> ResourceList.parse(item.getKey() + ".requests", requests));
      if (parsed != null) {
        podSets.add(new PodSet(count == null ? 1 : count, parsed));
      }
    }
    return podSets;
  }

  public static MemberCluster toMemberCluster(JsonNode object) throws InvalidManifestException {
    FieldReader reader = new FieldReader();
    apiVersion(object, "MemberCluster", reader);
    JsonNode metadata = object.get("metadata");
    String name = reader.requiredString(metadata, "name", "metadata.name");
    Map<String, String> labels = reader.stringMap(metadata, "labels", "metadata.labels");

    JsonNode spec = object.get("spec");
    List<Taint> taints = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(spec, "taints", "spec.taints")) {
      String key = reader.requiredString(item.getValue(), "key", item.getKey() + ".key");
      String value = reader.string(item.getValue(), "value", item.getKey() + ".value");
      TaintEffect effect = reader.enumValue(item.getValue(), "effect", item.getKey() + ".effect",
          text -> TaintEffect.fromApiName(item.getKey() + ".effect", text));
      if (effect == null && reader.string(item.getValue(), "effect", item.getKey() + ".effect") == null) {
        reader.error(item.getKey() + ".effect", "missing (expected NoSchedule, PreferNoSchedule or NoExecute)");
      }
      if (key != null && !key.isEmpty() && effect != null) {
        taints.add(new Taint(key, value, effect));
      }
    }
    Boolean unschedulable = reader.bool(spec, "unschedulable", "spec.unschedulable");
    List<StorageDomain> domains = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(spec, "storageDomains", "spec.storageDomains")) {
      String domainName = reader.requiredString(item.getValue(), "name", item.getKey() + ".name");
      if (domainName != null && !domainName.isEmpty()) {
        domains.add(new StorageDomain(domainName, reader.string(item.getValue(), "storageClass", item.getKey() + ".storageClass")));
      }
    }
    List<String> capabilities = reader.strings(spec, "capabilities", "spec.capabilities");

    JsonNode status = object.get("status");
    boolean ready = false;
    for (Map.Entry<String, JsonNode> item : reader.list(status, "conditions", "status.conditions")) {
      if ("Ready".equals(reader.string(item.getValue(), "type", item.getKey() + ".type"))) {
        ready = "True".equals(reader.string(item.getValue(), "status", item.getKey() + ".status"));
      }
    }
    JsonNode capacity = status == null ? null : status.get("capacity");
    ResourceList allocatable = resourceMap(capacity, "allocatable", "status.capacity.allocatable", reader);
    ResourceList allocated = resourceMap(capacity, "allocated", "status.capacity.allocated", reader);
    ResourceList available = FieldReader.present(capacity == null ? null : capacity.get("available"))
        ? resourceMap(capacity, "available", "status.capacity.available", reader)
        : allocatable.minusFloorZero(allocated);
    List<NodeShape> shapes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(status, "freeNodeShapes", "status.freeNodeShapes")) {
      ResourceList free = resourceMap(item.getValue(), "free", item.getKey() + ".free", reader);
      Integer count = reader.integer(item.getValue(), "count", item.getKey() + ".count");
      if (count != null && count < 1) {
        reader.error(item.getKey() + ".count", count + " (expected 1 or more nodes)");
      } else {
        shapes.add(new NodeShape(free, count == null ? 1 : count));
      }
    }

    throwIfAny("MemberCluster " + (name == null ? "?" : name), reader);
    return new MemberCluster(
        ClusterName.of(name), labels, taints, Boolean.TRUE.equals(unschedulable), domains, new TreeSet<>(capabilities), ready,
        allocatable, available, shapes);
  }

  private static ResourceList resourceMap(JsonNode parent, String field, String path, FieldReader reader) {
    TreeMap<String, String> quantities = reader.stringMap(parent, field, path);
    ResourceList parsed = reader.attempt(path, () -> ResourceList.parse(path, quantities));
    return parsed == null ? ResourceList.EMPTY : parsed;
  }

  public static PlacementPolicy toPlacementPolicy(JsonNode object) throws InvalidManifestException {
    FieldReader reader = new FieldReader();
    apiVersion(object, "PlacementPolicy", reader);
    JsonNode metadata = object.get("metadata");
    String name = reader.requiredString(metadata, "name", "metadata.name");
    String namespace = orDefault(reader.string(metadata, "namespace", "metadata.namespace"), "default");
    JsonNode spec = object.get("spec");
    if (!FieldReader.present(spec)) {
      reader.error("spec", "missing (expected placement fields)");
    }
    LabelSelector graphSelector = FieldReader.present(spec == null ? null : spec.get("graphSelector"))
        ? selector(spec.get("graphSelector"), "spec.graphSelector", reader)
        : null;
    Integer priority = reader.integer(spec, "priority", "spec.priority");
    PlacementSpec placement = FieldReader.present(spec) ? placementSpec(spec, "spec", reader) : PlacementSpec.EMPTY;

    throwIfAny("PlacementPolicy " + namespace + "/" + (name == null ? "?" : name), reader);
    return new PlacementPolicy(namespace, name, graphSelector, priority == null ? 0 : priority, placement);
  }

  private static PlacementSpec placementSpec(JsonNode node, String path, FieldReader reader) {
    ClusterAffinity affinity = clusterAffinity(node.get("clusterAffinity"), path + ".clusterAffinity", reader);
    List<PreferredAffinity> preferred = preferred(node, path + ".preferredAffinities", reader);
    List<Toleration> tolerations = tolerations(node, path + ".tolerations", reader);

    SpreadConstraint spread = null;
    JsonNode spreadNode = node.get("spread");
    if (FieldReader.present(spreadNode)) {
      String key = reader.requiredString(spreadNode, "topologyKey", path + ".spread.topologyKey");
      Integer minDomains = reader.integer(spreadNode, "minDomains", path + ".spread.minDomains");
      Integer max = reader.integer(spreadNode, "maxComponentsPerDomain", path + ".spread.maxComponentsPerDomain");
      if (key != null && !key.isEmpty()) {
        spread = reader.attempt(path + ".spread",
            () -> new SpreadConstraint(key, minDomains == null ? 1 : minDomains, max == null ? 0 : max));
      }
    }

    List<ComponentRule> rules = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(node, "componentRules", path + ".componentRules")) {
      String rulePath = item.getKey();
      JsonNode rule = item.getValue();
      JsonNode match = rule.get("match");
      ComponentMatch componentMatch = new ComponentMatch(
          reader.strings(match, "componentNames", rulePath + ".match.componentNames"),
          reader.strings(match, "chartNames", rulePath + ".match.chartNames"),
          reader.strings(match, "resourceNames", rulePath + ".match.resourceNames"));
      if (componentMatch.componentNames().isEmpty() && componentMatch.chartNames().isEmpty() && componentMatch.resourceNames().isEmpty()) {
        reader.error(rulePath + ".match", "matches no component (expected componentNames, chartNames or resourceNames)");
      }
      rules.add(new ComponentRule(
          componentMatch,
          clusterAffinity(rule.get("clusterAffinity"), rulePath + ".clusterAffinity", reader),
          tolerations(rule, rulePath + ".tolerations", reader),
          podSets(rule, "resources", rulePath + ".resources", reader)));
    }

    Strategy strategy = reader.enumValue(node, "strategy", path + ".strategy", text -> Strategy.fromApiName(path + ".strategy", text));
    Failover failover = null;
    JsonNode failoverNode = node.get("failover");
    if (FieldReader.present(failoverNode)) {
      Boolean enabled = reader.bool(failoverNode, "enabled", path + ".failover.enabled");
      Integer seconds = reader.integer(failoverNode, "tolerationSeconds", path + ".failover.tolerationSeconds");
      String mode = reader.string(failoverNode, "mode", path + ".failover.mode");
      if (mode != null && !mode.equals("Graceful") && !mode.equals("Immediate")) {
        reader.error(path + ".failover.mode", "\"" + mode + "\" is not a failover mode (expected Graceful or Immediate)");
      }
      failover = reader.attempt(path + ".failover",
          () -> new Failover(Boolean.TRUE.equals(enabled), seconds == null ? 300 : seconds, !"Immediate".equals(mode)));
    }
    return new PlacementSpec(affinity, preferred, tolerations, spread, rules, strategy, failover);
  }

  private static ClusterAffinity clusterAffinity(JsonNode node, String path, FieldReader reader) {
    if (!FieldReader.present(node)) {
      return null;
    }
    boolean namesGiven = FieldReader.present(node.get("clusterNames"));
    List<String> names = reader.strings(node, "clusterNames", path + ".clusterNames");
    LabelSelector selector = FieldReader.present(node.get("labelSelector"))
        ? selector(node.get("labelSelector"), path + ".labelSelector", reader)
        : null;
    if (namesGiven && names.isEmpty() && selector == null) {
      reader.error(path + ".clusterNames", "empty list with no labelSelector matches no cluster (expected cluster names, or remove clusterAffinity)");
    }
    return new ClusterAffinity(names, selector);
  }

  private static List<PreferredAffinity> preferred(JsonNode parent, String path, FieldReader reader) {
    List<PreferredAffinity> preferred = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(parent, "preferredAffinities", path)) {
      Integer weight = reader.integer(item.getValue(), "weight", item.getKey() + ".weight");
      LabelSelector selector = selector(item.getValue().get("labelSelector"), item.getKey() + ".labelSelector", reader);
      if (weight == null) {
        reader.error(item.getKey() + ".weight", "missing (expected 1 to 100)");
        continue;
      }
      PreferredAffinity affinity = reader.attempt(item.getKey() + ".weight", () -> new PreferredAffinity(weight, selector));
      if (affinity != null) {
        preferred.add(affinity);
      }
    }
    return preferred;
  }

  private static List<Toleration> tolerations(JsonNode parent, String path, FieldReader reader) {
    List<Toleration> tolerations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(parent, "tolerations", path)) {
      JsonNode node = item.getValue();
      String key = reader.string(node, "key", item.getKey() + ".key");
      String operator = orDefault(reader.string(node, "operator", item.getKey() + ".operator"), "Equal");
      if (!operator.equals("Equal") && !operator.equals("Exists")) {
        reader.error(item.getKey() + ".operator", "\"" + operator + "\" is not a toleration operator (expected Equal or Exists)");
        continue;
      }
      String value = reader.string(node, "value", item.getKey() + ".value");
      TaintEffect effect = reader.enumValue(node, "effect", item.getKey() + ".effect",
          text -> TaintEffect.fromApiName(item.getKey() + ".effect", text));
      Toleration toleration = reader.attempt(item.getKey(), () -> new Toleration(key, operator.equals("Exists"), value, effect));
      if (toleration != null) {
        tolerations.add(toleration);
      }
    }
    return tolerations;
  }

  private static LabelSelector selector(JsonNode node, String path, FieldReader reader) {
    if (!FieldReader.present(node)) {
      return LabelSelector.EVERYTHING;
    }
    TreeMap<String, String> matchLabels = reader.stringMap(node, "matchLabels", path + ".matchLabels");
    List<LabelRequirement> expressions = new ArrayList<>();
    for (Map.Entry<String, JsonNode> item : reader.list(node, "matchExpressions", path + ".matchExpressions")) {
      String key = reader.requiredString(item.getValue(), "key", item.getKey() + ".key");
      SelectorOperator operator = reader.enumValue(item.getValue(), "operator", item.getKey() + ".operator",
          text -> SelectorOperator.fromApiName(item.getKey() + ".operator", text));
      List<String> values = reader.strings(item.getValue(), "values", item.getKey() + ".values");
      if (key == null || key.isEmpty() || operator == null) {
        if (operator == null && reader.string(item.getValue(), "operator", item.getKey() + ".operator") == null) {
          reader.error(item.getKey() + ".operator", "missing (expected In, NotIn, Exists or DoesNotExist)");
        }
        continue;
      }
      LabelRequirement requirement = reader.attempt(item.getKey(), () -> new LabelRequirement(key, operator, values));
      if (requirement != null) {
        expressions.add(requirement);
      }
    }
    return new LabelSelector(matchLabels, expressions);
  }

  private static String apiVersion(JsonNode object, String expectedKind, FieldReader reader) {
    String kind = kind(object);
    if (!expectedKind.equals(kind)) {
      reader.error("kind", "\"" + kind + "\" (expected " + expectedKind + ")");
    }
    JsonNode apiVersion = object.get("apiVersion");
    String text = apiVersion == null ? "" : apiVersion.asText();
    if (!text.startsWith(GROUP + "/")) {
      reader.error("apiVersion", "\"" + text + "\" (expected " + GROUP + "/v1" + ")");
      return "";
    }
    String version = text.substring(GROUP.length() + 1);
    if (!List.of("v1", "v1beta1", "v1beta2").contains(version)) {
      reader.error("apiVersion", "\"" + text + "\" is not a served version (expected " + GROUP + "/v1, v1beta2 or v1beta1)");
    }
    return version;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static void throwIfAny(String object, FieldReader reader) throws InvalidManifestException {
    if (!reader.errors().isEmpty()) {
      throw new InvalidManifestException(object, reader.errors());
    }
  }
}
