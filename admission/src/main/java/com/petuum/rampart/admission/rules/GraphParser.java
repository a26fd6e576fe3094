package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.childBoolean;
import static com.petuum.rampart.admission.rules.JsonFields.childObject;
import static com.petuum.rampart.admission.rules.JsonFields.childString;
import static com.petuum.rampart.admission.rules.JsonFields.describe;
import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.Chart;
import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.EdgeDirection;
import com.petuum.rampart.admission.model.Flow;
import com.petuum.rampart.admission.model.FlowType;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.model.PodResources;
import com.petuum.rampart.admission.model.RampartGraph;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a RampartGraph object of any served version into the {@link RampartGraph} model and
 * reports every schema violation: missing and unknown fields, wrong types, name patterns, enums
 * and chart versions. Values that fail are left out of the model, so the semantic rules that run
 * next see only what parsed. Never throws on any JSON input. Stateless and thread-safe.
 */
final class GraphParser {

  /** Keys of {@code spec.graph.components} and {@code spec.graph.flows}: DNS labels. */
  static final Pattern NAME_KEY = JsonFields.DNS_LABEL;

  /** Edge names as the original schema allows them, the empty name included. */
  static final Pattern EDGE_KEY = Pattern.compile("[a-zA-Z0-9_-]*");

  /** Semantic Versioning 2.0.0, anchored, as Helm chart versions are written. */
  static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  private static final Set<String> GRAPH_FIELDS = Set.of("components", "flows");
  private static final Set<String> ORIGINAL_COMPONENT_FIELDS =
      Set.of("chart", "config", "inputs", "outputs", "namespace", "type", "needs", "ingressNeeded", "auxConfig", "$ui");
  private static final Set<String> V1_COMPONENT_FIELDS =
      Set.of(
          "chart", "config", "inputs", "outputs", "namespace", "type", "needs", "ingressNeeded", "auxConfig", "$ui",
          "resources", "placement");
  private static final Set<String> CHART_FIELDS = Set.of("repo", "name", "version", "secret");
  private static final Set<String> EDGE_FIELDS = Set.of("type", "flow", "config", "$ui");
  private static final Set<String> MOUNTED_EDGE_CONFIG_FIELDS = Set.of("mountPath");

  private final FlowParser flowParser = new FlowParser();
  private final PlacementRules placementRules = new PlacementRules();

  /**
   * Parses {@code object}, a whole RampartGraph with apiVersion, metadata and spec.
   *
   * @param namespace the namespace to assume when the object names none
   */
  RampartGraph parse(JsonNode object, String namespace, ErrorCollector errors) {
    if (!(object instanceof ObjectNode root)) {
      errors.add("", "a RampartGraph must be an object, not " + describe(object));
      return new RampartGraph(namespace, "", GraphVersion.V1, true, Map.of(), Map.of());
    }
    GraphVersion version = parseVersion(root, errors);
    ObjectNode metadata = root.get("metadata") instanceof ObjectNode m ? m : root.objectNode();
    String name = graphName(metadata, errors);
    String graphNamespace = metadata.path("namespace").isTextual() && !metadata.path("namespace").asText().isEmpty()
        ? metadata.path("namespace").asText()
        : namespace;

    Optional<ObjectNode> spec = childObject(root, "spec", "", true, "spec.graph with components and flows", errors);
    if (spec.isEmpty()) {
      return new RampartGraph(graphNamespace, name, version, true, Map.of(), Map.of());
    }
    Set<String> specFields = switch (version) {
      case V1BETA1 -> Set.of("graph");
      case V1BETA2 -> Set.of("graph", "deploy");
      case V1 -> Set.of("graph", "deploy", "placement");
    };
    JsonFields.rejectUnknownFields(spec.get(), "spec", specFields, errors);
    boolean deploy = childBoolean(spec.get(), "deploy", "spec", errors).orElse(true);

    Map<String, Component> components = new LinkedHashMap<>();
    Map<String, Flow> flows = new LinkedHashMap<>();
    Optional<ObjectNode> graph =
        childObject(spec.get(), "graph", "spec", true, "the graph: an object with components and flows", errors);
    graph.ifPresent(g -> parseGraph(g, version, components, flows, errors));

    if (version.hasPlacement() && JsonFields.field(spec.get(), "placement") != null) {
      placementRules.checkGraphPlacement(JsonFields.field(spec.get(), "placement"), "spec.placement", components.keySet(), errors);
    }
    return new RampartGraph(graphNamespace, name, version, deploy, components, flows);
  }

  private static GraphVersion parseVersion(ObjectNode root, ErrorCollector errors) {
    JsonNode apiVersion = root.get("apiVersion");
    if (apiVersion == null || !apiVersion.isTextual()) {
      errors.add("apiVersion", "is required; set it to one of " + GraphVersion.servedApiVersions());
      return GraphVersion.V1;
    }
    Optional<GraphVersion> version = GraphVersion.fromApiVersion(apiVersion.asText());
    if (version.isEmpty()) {
      errors.add(
          "apiVersion",
          "unsupported API version " + quote(apiVersion.asText()) + "; use one of " + GraphVersion.servedApiVersions());
      return GraphVersion.V1;
    }
    JsonNode kind = root.get("kind");
    if (kind != null && !GraphVersion.KIND.equals(kind.asText())) {
      errors.add("kind", "must be " + GraphVersion.KIND + ", not " + describe(kind));
    }
    return version.get();
  }

  /**
   * Returns the graph's name. A name from {@code generateName} is not known at admission, so
   * the prefix plus five placeholder characters stands for it in length checks, as the
   * apiserver appends five random characters.
   */
  private static String graphName(ObjectNode metadata, ErrorCollector errors) {
    JsonNode name = metadata.get("name");
    if (name != null && name.isTextual() && !name.asText().isEmpty()) {
      return name.asText();
    }
    JsonNode generateName = metadata.get("generateName");
    if (generateName != null && generateName.isTextual() && !generateName.asText().isEmpty()) {
      return generateName.asText() + "xxxxx";
    }
    errors.add("metadata.name", "is required; give the graph a name (a DNS label, such as \"demo\")");
    return "";
  }

  private void parseGraph(
      ObjectNode graph,
      GraphVersion version,
      Map<String, Component> components,
      Map<String, Flow> flows,
      ErrorCollector errors) {
    JsonFields.rejectUnknownFields(graph, "spec.graph", GRAPH_FIELDS, errors);

    Optional<ObjectNode> componentsNode =
        childObject(graph, "components", "spec.graph", true, "the components: an object of component name to component", errors);
    componentsNode.ifPresent(node -> {
      if (node.size() > GraphLimits.MAX_COMPONENTS) {
        errors.add(
            "spec.graph.components",
            "has " + node.size() + " components, more than the limit of " + GraphLimits.MAX_COMPONENTS
                + "; split the graph into smaller graphs");
      }
      Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        parseComponent(entry.getKey(), entry.getValue(), version, errors).ifPresent(c -> components.put(c.name(), c));
      }
    });

    Optional<ObjectNode> flowsNode =
        childObject(graph, "flows", "spec.graph", true, "the flows: an object of flow name to flow ({} when there are none)", errors);
    flowsNode.ifPresent(node -> {
      if (node.size() > GraphLimits.MAX_FLOWS) {
        errors.add(
            "spec.graph.flows",
            "has " + node.size() + " flows, more than the limit of " + GraphLimits.MAX_FLOWS
                + "; split the graph into smaller graphs");
      }
      Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        flowParser.parse(entry.getKey(), entry.getValue(), errors).ifPresent(f -> flows.put(f.name(), f));
      }
    });
  }

  private Optional<Component> parseComponent(String name, JsonNode node, GraphVersion version, ErrorCollector errors) {
    String path = FieldPath.child("spec.graph.components", name);
    boolean validName = checkName(name, path, "component", errors);
    Optional<ObjectNode> maybeComponent = JsonFields.object(node, path, errors);
    if (maybeComponent.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode component = maybeComponent.get();
    JsonFields.rejectUnknownFields(
        component, path, version.hasPlacement() ? V1_COMPONENT_FIELDS : ORIGINAL_COMPONENT_FIELDS, errors);

    Optional<Chart> chart =
        childObject(component, "chart", path, true, "the Helm chart: {repo, name, version}", errors)
            .flatMap(c -> parseChart(c, FieldPath.child(path, "chart"), errors));
    childObject(component, "config", path, true, "the chart's values ({} when there are none)", errors);
    Map<String, Edge> inputs = parseEdges(component, path, EdgeDirection.INPUT, errors);
    Map<String, Edge> outputs = parseEdges(component, path, EdgeDirection.OUTPUT, errors);
    if (inputs.size() + outputs.size() > GraphLimits.MAX_EDGES_PER_COMPONENT) {
      errors.add(
          path,
          "has " + (inputs.size() + outputs.size()) + " inputs and outputs, more than the limit of "
              + GraphLimits.MAX_EDGES_PER_COMPONENT + "; join related edges into fewer flows");
    }

    Optional<String> namespace = childString(component, "namespace", path, false, "", errors);
    namespace.ifPresent(ns -> {
      if (!JsonFields.isDnsLabel(ns)) {
        errors.add(
            FieldPath.child(path, "namespace"),
            "invalid namespace " + quote(ns) + "; use at most 63 lower-case letters, digits and '-', "
                + "starting and ending with a letter or digit");
      }
    });
    namespace = namespace.filter(JsonFields::isDnsLabel);
    childString(component, "type", path, false, "", errors);
    List<String> needs = parseNeeds(component, path, errors);
    boolean ingressNeeded = childBoolean(component, "ingressNeeded", path, errors).orElse(false);
    JsonNode auxConfig = JsonFields.field(component, "auxConfig");
    if (auxConfig != null && !auxConfig.isObject()) {
      errors.add(FieldPath.child(path, "auxConfig"), "must be an object, not " + describe(auxConfig));
    }

    List<PodResources> resources = List.of();
    if (version.hasPlacement()) {
      JsonNode resourcesNode = JsonFields.field(component, "resources");
      if (resourcesNode != null) {
        resources = ResourceRules.parseResources(resourcesNode, FieldPath.child(path, "resources"), errors);
      }
      JsonNode placement = JsonFields.field(component, "placement");
      if (placement != null) {
        placementRules.checkComponentPlacement(placement, FieldPath.child(path, "placement"), errors);
      }
    }
    if (!validName) {
      return Optional.empty();
    }
    return Optional.of(
        new Component(
            name, chart, inputs, outputs, namespace, needs, ingressNeeded, auxConfig != null && auxConfig.isObject(),
            resources));
  }

  private static boolean checkName(String name, String path, String what, ErrorCollector errors) {
    if (NAME_KEY.matcher(name).matches()) {
      return true;
    }
    errors.add(
        path,
        "invalid " + what + " name " + quote(name) + "; use lower-case letters, digits and '-', starting and ending "
            + "with a letter or digit");
    return false;
  }

  private static Optional<Chart> parseChart(ObjectNode chart, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(chart, path, CHART_FIELDS, errors);
    Optional<String> repo = childString(chart, "repo", path, true, "a chart repository URL or the name of a Secret with key url", errors);
    Optional<String> name = childString(chart, "name", path, true, "the chart name", errors);
    Optional<String> version = childString(chart, "version", path, false, "", errors);
    Optional<String> secret = childString(chart, "secret", path, false, "", errors);

    repo.ifPresent(r -> checkRepo(r, FieldPath.child(path, "repo"), errors));
    name.filter(String::isEmpty).ifPresent(n -> errors.add(FieldPath.child(path, "name"), "must not be empty; set the chart name"));
    version.ifPresent(v -> {
      if (!Chart.LATEST.equals(v) && !SEMVER.matcher(v).matches()) {
        errors.add(
            FieldPath.child(path, "version"),
            "invalid chart version " + quote(v) + "; use a semantic version such as \"0.6.1\", or \"latest\"");
      }
    });
    secret.ifPresent(s -> {
      if (!JsonFields.isDnsSubdomain(s)) {
        errors.add(
            FieldPath.child(path, "secret"),
            "invalid Secret name " + quote(s) + "; name a Secret in the graph's namespace (lower-case letters, digits, "
                + "'-' and '.')");
      }
    });
    if (repo.isEmpty() || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Chart(repo.get(), name.get(), version.orElse(Chart.LATEST), secret.filter(JsonFields::isDnsSubdomain)));
  }

  /** Accepts an http, https or oci URL with a host, or the name of a Secret that contains the URL. */
  private static void checkRepo(String repo, String path, ErrorCollector errors) {
    if (!repo.contains("://")) {
      if (!JsonFields.isDnsSubdomain(repo)) {
        errors.add(
            path,
            "invalid chart repository " + quote(repo) + "; use a URL such as \"https://charts.example.com\" or the "
                + "name of a Secret with key url");
      }
      return;
    }
    try {
      URI uri = new URI(repo);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if (!Set.of("http", "https", "oci").contains(scheme) || uri.getHost() == null) {
        errors.add(
            path,
            "invalid chart repository URL " + quote(repo) + "; use an http, https or oci URL with a host name");
      }
    } catch (URISyntaxException e) {
      errors.add(path, "invalid chart repository URL " + quote(repo) + " (" + e.getReason() + "); fix the URL");
    }
  }

  private static Map<String, Edge> parseEdges(
      ObjectNode component, String componentPath, EdgeDirection direction, ErrorCollector errors) {
    Map<String, Edge> edges = new LinkedHashMap<>();
    Optional<ObjectNode> node =
        childObject(component, direction.fieldName(), componentPath, true,
            "the " + direction.fieldName() + ": an object of edge name to edge ({} when there are none)", errors);
    if (node.isEmpty()) {
      return edges;
    }
    String edgesPath = FieldPath.child(componentPath, direction.fieldName());
    Iterator<Map.Entry<String, JsonNode>> entries = node.get().fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      parseEdge(entry.getKey(), entry.getValue(), direction, edgesPath, errors).ifPresent(e -> edges.put(e.name(), e));
    }
    return edges;
  }

  private static Optional<Edge> parseEdge(
      String name, JsonNode node, EdgeDirection direction, String edgesPath, ErrorCollector errors) {
    String path = FieldPath.child(edgesPath, name);
    boolean validName = EDGE_KEY.matcher(name).matches();
    if (!validName) {
      errors.add(path, "invalid edge name " + quote(name) + "; use only letters, digits, '_' and '-'");
    }
    Optional<ObjectNode> maybeEdge = JsonFields.object(node, path, errors);
    if (maybeEdge.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode edge = maybeEdge.get();
    JsonFields.rejectUnknownFields(edge, path, EDGE_FIELDS, errors);

    Optional<FlowType> type = childString(edge, "type", path, true, "the flow type: one of " + FlowType.apiNames(), errors)
        .flatMap(t -> {
          Optional<FlowType> parsed = FlowType.fromApiName(t);
          if (parsed.isEmpty()) {
            errors.add(FieldPath.child(path, "type"), "unknown edge type " + quote(t) + "; use one of " + FlowType.apiNames());
          }
          return parsed;
        });
    Optional<String> flow = childString(edge, "flow", path, true, "the name of a flow in spec.graph.flows", errors);

    Optional<String> mountPath = Optional.empty();
    Optional<ObjectNode> config = childObject(edge, "config", path, false, "", errors);
    if (config.isPresent() && type.filter(FlowType::isMounted).isPresent()) {
      String configPath = FieldPath.child(path, "config");
      JsonFields.rejectUnknownFields(config.get(), configPath, MOUNTED_EDGE_CONFIG_FIELDS, errors);
      mountPath = childString(config.get(), "mountPath", configPath, false, "", errors).map(Edge::normaliseMountPath);
    }
    if (!validName || type.isEmpty() || flow.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Edge(name, direction, type.get(), flow.get(), mountPath));
  }

  private static List<String> parseNeeds(ObjectNode component, String componentPath, ErrorCollector errors) {
    JsonNode needs = JsonFields.field(component, "needs");
    if (needs == null) {
      return List.of();
    }
    String path = FieldPath.child(componentPath, "needs");
    if (!needs.isArray()) {
      errors.add(path, "must be a list of component names, not " + describe(needs));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < needs.size(); i++) {
      JsonNode item = needs.get(i);
      if (item.isTextual()) {
        names.add(item.asText());
      } else {
        errors.add(FieldPath.index(path, i), "must be a component name, not " + describe(item));
      }
    }
    return names;
  }
}
