package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.childInteger;
import static com.petuum.rampart.admission.rules.JsonFields.childObject;
import static com.petuum.rampart.admission.rules.JsonFields.childString;
import static com.petuum.rampart.admission.rules.JsonFields.describe;
import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks placement settings wherever they appear: {@code spec.placement} of a v1 graph, a
 * component's {@code placement}, and the spec of a PlacementPolicy. Reports selectors that do not
 * parse, unknown operators and effects, out-of-range numbers, unknown resource names and
 * affinities that can match no cluster. Stateless and thread-safe.
 */
final class PlacementRules {

  private static final Set<String> SHARED_FIELDS =
      Set.of("clusterAffinity", "preferredAffinities", "tolerations", "spread", "componentRules", "strategy", "failover");
  private static final Set<String> GRAPH_PLACEMENT_FIELDS = union(SHARED_FIELDS, Set.of("policyRef"));
  private static final Set<String> POLICY_FIELDS = union(SHARED_FIELDS, Set.of("graphSelector", "priority"));
  private static final Set<String> COMPONENT_PLACEMENT_FIELDS = Set.of("clusterAffinity", "preferredAffinities", "tolerations");
  private static final Set<String> SELECTOR_FIELDS = Set.of("matchLabels", "matchExpressions");
  private static final Set<String> EXPRESSION_FIELDS = Set.of("key", "operator", "values");
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Set<String> TOLERATION_FIELDS = Set.of("key", "operator", "value", "effect");
  private static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Set<String> STRATEGIES = Set.of("BinPack", "Spread");
  private static final Set<String> FAILOVER_MODES = Set.of("Graceful", "Immediate");

  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  /** Weights of preferred affinities, as in Kubernetes' preferred node affinity. */
  static final int MIN_WEIGHT = 1;
  static final int MAX_WEIGHT = 100;

  /** Checks {@code spec.placement} of a v1 graph; {@code componentNames} are the graph's components. */
  void checkGraphPlacement(JsonNode node, String path, Set<String> componentNames, ErrorCollector errors) {
    JsonFields.object(node, path, errors).ifPresent(placement -> {
      JsonFields.rejectUnknownFields(placement, path, GRAPH_PLACEMENT_FIELDS, errors);
      childObject(placement, "policyRef", path, false, "", errors).ifPresent(ref -> {
        String refPath = FieldPath.child(path, "policyRef");
        JsonFields.rejectUnknownFields(ref, refPath, Set.of("name"), errors);
        childString(ref, "name", refPath, true, "the name of a PlacementPolicy in the graph's namespace", errors)
            .filter(name -> !JsonFields.isDnsSubdomain(name))
            .ifPresent(name -> errors.add(
                FieldPath.child(refPath, "name"),
                "invalid PlacementPolicy name " + quote(name) + "; use the metadata.name of a PlacementPolicy"));
      });
      checkShared(placement, path, Optional.of(componentNames), errors);
    });
  }

  /** Checks a component's {@code placement}. */
  void checkComponentPlacement(JsonNode node, String path, ErrorCollector errors) {
    JsonFields.object(node, path, errors).ifPresent(placement -> {
      JsonFields.rejectUnknownFields(placement, path, COMPONENT_PLACEMENT_FIELDS, errors);
      checkAffinities(placement, path, errors);
    });
  }

  /** Checks the spec of a PlacementPolicy. */
  void checkPolicySpec(JsonNode node, String path, ErrorCollector errors) {
    JsonFields.object(node, path, errors).ifPresent(spec -> {
      JsonFields.rejectUnknownFields(spec, path, POLICY_FIELDS, errors);
      childObject(spec, "graphSelector", path, false, "", errors)
          .ifPresent(selector -> checkSelector(selector, FieldPath.child(path, "graphSelector"), errors));
      childInteger(spec, "priority", path, errors).filter(p -> p < Integer.MIN_VALUE || p > Integer.MAX_VALUE)
          .ifPresent(p -> errors.add(FieldPath.child(path, "priority"), "priority " + p + " is out of range; use a 32-bit integer"));
      checkShared(spec, path, Optional.empty(), errors);
    });
  }

  private void checkShared(ObjectNode placement, String path, Optional<Set<String>> componentNames, ErrorCollector errors) {
    checkAffinities(placement, path, errors);
    childObject(placement, "spread", path, false, "", errors).ifPresent(spread -> checkSpread(spread, FieldPath.child(path, "spread"), errors));
    JsonNode rules = JsonFields.field(placement, "componentRules");
    if (rules != null) {
      checkComponentRules(rules, FieldPath.child(path, "componentRules"), componentNames, errors);
    }
    childString(placement, "strategy", path, false, "", errors).filter(s -> !STRATEGIES.contains(s)).ifPresent(s ->
        errors.add(FieldPath.child(path, "strategy"), "unknown strategy " + quote(s) + "; use BinPack (the default) or Spread"));
    childObject(placement, "failover", path, false, "", errors).ifPresent(failover -> {
      String failoverPath = FieldPath.child(path, "failover");
      JsonFields.rejectUnknownFields(failover, failoverPath, Set.of("enabled", "tolerationSeconds", "mode"), errors);
      JsonFields.childBoolean(failover, "enabled", failoverPath, errors);
      childInteger(failover, "tolerationSeconds", failoverPath, errors).filter(s -> s < 0).ifPresent(s ->
          errors.add(FieldPath.child(failoverPath, "tolerationSeconds"), "negative toleration " + s + "; use 0 or more seconds"));
      childString(failover, "mode", failoverPath, false, "", errors).filter(m -> !FAILOVER_MODES.contains(m)).ifPresent(m ->
          errors.add(FieldPath.child(failoverPath, "mode"), "unknown failover mode " + quote(m) + "; use Graceful or Immediate"));
    });
  }

  private void checkAffinities(ObjectNode placement, String path, ErrorCollector errors) {
    childObject(placement, "clusterAffinity", path, false, "", errors)
        .ifPresent(affinity -> checkClusterAffinity(affinity, FieldPath.child(path, "clusterAffinity"), errors));
    JsonNode preferred = JsonFields.field(placement, "preferredAffinities");
    if (preferred != null) {
      checkPreferredAffinities(preferred, FieldPath.child(path, "preferredAffinities"), errors);
    }
    JsonNode tolerations = JsonFields.field(placement, "tolerations");
    if (tolerations != null) {
      checkTolerations(tolerations, FieldPath.child(path, "tolerations"), errors);
    }
  }

  private void checkClusterAffinity(ObjectNode affinity, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(affinity, path, Set.of("clusterNames", "labelSelector"), errors);
    JsonNode names = JsonFields.field(affinity, "clusterNames");
    String namesPath = FieldPath.child(path, "clusterNames");
    if (names != null) {
      if (!names.isArray()) {
        errors.add(namesPath, "must be a list of MemberCluster names, not " + describe(names));
      } else {
        for (int i = 0; i < names.size(); i++) {
          JsonNode name = names.get(i);
          if (!name.isTextual() || !JsonFields.isDnsSubdomain(name.asText())) {
            errors.add(FieldPath.index(namesPath, i), "invalid cluster name " + describe(name) + "; use the metadata.name of a MemberCluster");
          }
        }
        if (names.isEmpty() && JsonFields.field(affinity, "labelSelector") == null) {
          errors.add(
              namesPath,
              "an empty list with no labelSelector matches no cluster; list the clusters, or remove clusterNames to "
                  + "allow every cluster");
        }
      }
    }
    childObject(affinity, "labelSelector", path, false, "", errors)
        .ifPresent(selector -> checkSelector(selector, FieldPath.child(path, "labelSelector"), errors));
  }

  private void checkPreferredAffinities(JsonNode preferred, String path, ErrorCollector errors) {
    if (!preferred.isArray()) {
      errors.add(path, "must be a list of {weight, labelSelector} entries, not " + describe(preferred));
      return;
    }
    for (int i = 0; i < preferred.size(); i++) {
      String itemPath = FieldPath.index(path, i);
      JsonFields.object(preferred.get(i), itemPath, errors).ifPresent(item -> {
        JsonFields.rejectUnknownFields(item, itemPath, Set.of("weight", "labelSelector"), errors);
        Optional<Long> weight = childInteger(item, "weight", itemPath, errors);
        if (JsonFields.field(item, "weight") == null) {
          errors.add(FieldPath.child(itemPath, "weight"), "is required; set a weight from " + MIN_WEIGHT + " to " + MAX_WEIGHT);
        }
        weight.filter(w -> w < MIN_WEIGHT || w > MAX_WEIGHT).ifPresent(w ->
            errors.add(FieldPath.child(itemPath, "weight"), "weight " + w + " is out of range; use " + MIN_WEIGHT + " to " + MAX_WEIGHT));
        childObject(item, "labelSelector", itemPath, true, "the label selector of the preferred clusters", errors)
            .ifPresent(selector -> checkSelector(selector, FieldPath.child(itemPath, "labelSelector"), errors));
      });
    }
  }

  /** Checks a Kubernetes label selector: label syntax in matchLabels, operators and values in matchExpressions. */
  void checkSelector(ObjectNode selector, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(selector, path, SELECTOR_FIELDS, errors);
    childObject(selector, "matchLabels", path, false, "", errors).ifPresent(labels -> {
      String labelsPath = FieldPath.child(path, "matchLabels");
      Iterator<Map.Entry<String, JsonNode>> entries = labels.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        String entryPath = FieldPath.child(labelsPath, entry.getKey());
        labelKeyProblem(entry.getKey()).ifPresent(problem -> errors.add(entryPath, problem));
        JsonNode value = entry.getValue();
        if (!value.isTextual() || !isLabelValue(value.asText())) {
          errors.add(entryPath, "invalid label value " + describe(value) + "; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
      }
    });
    JsonNode expressions = JsonFields.field(selector, "matchExpressions");
    if (expressions == null) {
      return;
    }
    String expressionsPath = FieldPath.child(path, "matchExpressions");
    if (!expressions.isArray()) {
      errors.add(expressionsPath, "must be a list of {key, operator, values} entries, not " + describe(expressions));
      return;
    }
    for (int i = 0; i < expressions.size(); i++) {
      String itemPath = FieldPath.index(expressionsPath, i);
      JsonFields.object(expressions.get(i), itemPath, errors).ifPresent(expression -> checkExpression(expression, itemPath, errors));
    }
  }

  private static void checkExpression(ObjectNode expression, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(expression, path, EXPRESSION_FIELDS, errors);
    childString(expression, "key", path, true, "the label key", errors)
        .ifPresent(key -> labelKeyProblem(key).ifPresent(problem -> errors.add(FieldPath.child(path, "key"), problem)));
    Optional<String> operator = childString(expression, "operator", path, true, "the operator: In, NotIn, Exists or DoesNotExist", errors);
    JsonNode values = JsonFields.field(expression, "values");
    String valuesPath = FieldPath.child(path, "values");
    if (values != null && !values.isArray()) {
      errors.add(valuesPath, "must be a list of label values, not " + describe(values));
      return;
    }
    int valueCount = values == null ? 0 : values.size();
    if (values != null) {
      for (int i = 0; i < values.size(); i++) {
        JsonNode value = values.get(i);
        if (!value.isTextual() || !isLabelValue(value.asText())) {
          errors.add(FieldPath.index(valuesPath, i), "invalid label value " + describe(value) + "; use at most 63 letters, digits, '-', '_' and '.'");
        }
      }
    }
    if (operator.isEmpty()) {
      return;
    }
    String op = operator.get();
    if (!OPERATORS.contains(op)) {
      errors.add(FieldPath.child(path, "operator"), "unknown operator " + quote(op) + "; use In, NotIn, Exists or DoesNotExist");
    } else if ((op.equals("In") || op.equals("NotIn")) && valueCount == 0) {
      errors.add(valuesPath, "operator " + op + " needs at least one value; list the values, or use Exists");
    } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && valueCount > 0) {
      errors.add(valuesPath, "operator " + op + " takes no values; remove values, or use In or NotIn");
    }
  }

  private static void checkTolerations(JsonNode tolerations, String path, ErrorCollector errors) {
    if (!tolerations.isArray()) {
      errors.add(path, "must be a list of {key, operator, value, effect} entries, not " + describe(tolerations));
      return;
    }
    for (int i = 0; i < tolerations.size(); i++) {
      String itemPath = FieldPath.index(path, i);
      JsonFields.object(tolerations.get(i), itemPath, errors).ifPresent(toleration -> {
        JsonFields.rejectUnknownFields(toleration, itemPath, TOLERATION_FIELDS, errors);
        Optional<String> key = childString(toleration, "key", itemPath, false, "", errors);
        String operator = childString(toleration, "operator", itemPath, false, "", errors).orElse("Equal");
        Optional<String> value = childString(toleration, "value", itemPath, false, "", errors);
        key.filter(k -> !k.isEmpty()).flatMap(PlacementRules::labelKeyProblem)
            .ifPresent(problem -> errors.add(FieldPath.child(itemPath, "key"), problem));
        if (!operator.equals("Equal") && !operator.equals("Exists")) {
          errors.add(FieldPath.child(itemPath, "operator"), "unknown operator " + quote(operator) + "; use Equal (the default) or Exists");
        } else if (operator.equals("Exists") && value.filter(v -> !v.isEmpty()).isPresent()) {
          errors.add(FieldPath.child(itemPath, "value"), "operator Exists takes no value; remove value, or use Equal");
        } else if (operator.equals("Equal") && key.filter(k -> !k.isEmpty()).isEmpty()) {
          errors.add(FieldPath.child(itemPath, "key"), "is required with operator Equal; set the taint key, or use Exists to tolerate every taint");
        }
        childString(toleration, "effect", itemPath, false, "", errors).filter(e -> !e.isEmpty() && !TAINT_EFFECTS.contains(e))
            .ifPresent(e -> errors.add(
                FieldPath.child(itemPath, "effect"),
                "unknown effect " + quote(e) + "; use NoSchedule, PreferNoSchedule or NoExecute, or leave it out to match every effect"));
      });
    }
  }

  private static void checkSpread(ObjectNode spread, String path, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(spread, path, Set.of("topologyKey", "minDomains", "maxComponentsPerDomain"), errors);
    childString(spread, "topologyKey", path, true, "the cluster label that names a domain, such as topology.rampart.petuum.com/region", errors)
        .ifPresent(key -> labelKeyProblem(key).ifPresent(problem -> errors.add(FieldPath.child(path, "topologyKey"), problem)));
    childInteger(spread, "minDomains", path, errors).filter(n -> n < 1 || n > Integer.MAX_VALUE).ifPresent(n ->
        errors.add(FieldPath.child(path, "minDomains"), "invalid minDomains " + n + "; use 1 or more"));
    childInteger(spread, "maxComponentsPerDomain", path, errors).filter(n -> n < 1 || n > Integer.MAX_VALUE).ifPresent(n ->
        errors.add(FieldPath.child(path, "maxComponentsPerDomain"), "invalid maxComponentsPerDomain " + n + "; use 1 or more"));
  }

  private void checkComponentRules(JsonNode rules, String path, Optional<Set<String>> componentNames, ErrorCollector errors) {
    if (!rules.isArray()) {
      errors.add(path, "must be a list of {match, clusterAffinity, tolerations, resources} entries, not " + describe(rules));
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      String itemPath = FieldPath.index(path, i);
      JsonFields.object(rules.get(i), itemPath, errors).ifPresent(rule -> {
        JsonFields.rejectUnknownFields(rule, itemPath, Set.of("match", "clusterAffinity", "tolerations", "resources"), errors);
        childObject(rule, "match", itemPath, true, "which components the rule applies to: componentNames, chartNames or resourceNames", errors)
            .ifPresent(match -> checkMatch(match, FieldPath.child(itemPath, "match"), componentNames, errors));
        childObject(rule, "clusterAffinity", itemPath, false, "", errors)
            .ifPresent(affinity -> checkClusterAffinity(affinity, FieldPath.child(itemPath, "clusterAffinity"), errors));
        JsonNode tolerations = JsonFields.field(rule, "tolerations");
        if (tolerations != null) {
          checkTolerations(tolerations, FieldPath.child(itemPath, "tolerations"), errors);
        }
        JsonNode resources = JsonFields.field(rule, "resources");
        if (resources != null) {
          ResourceRules.parseResources(resources, FieldPath.child(itemPath, "resources"), errors);
        }
      });
    }
  }

  private static void checkMatch(ObjectNode match, String path, Optional<Set<String>> componentNames, ErrorCollector errors) {
    JsonFields.rejectUnknownFields(match, path, Set.of("componentNames", "chartNames", "resourceNames"), errors);
    int listed = 0;
    for (String field : new String[] {"componentNames", "chartNames", "resourceNames"}) {
      JsonNode list = match.get(field);
      String listPath = FieldPath.child(path, field);
      if (list == null) {
        continue;
      }
      if (!list.isArray()) {
        errors.add(listPath, "must be a list of names, not " + describe(list));
        continue;
      }
      listed += list.size();
      for (int i = 0; i < list.size(); i++) {
        JsonNode item = list.get(i);
        String itemPath = FieldPath.index(listPath, i);
        if (!item.isTextual()) {
          errors.add(itemPath, "must be a name, not " + describe(item));
        } else if (field.equals("resourceNames")) {
          ResourceRules.resourceNameProblem(item.asText()).ifPresent(problem -> errors.add(itemPath, problem));
        } else if (field.equals("componentNames") && componentNames.isPresent() && !componentNames.get().contains(item.asText())) {
          errors.add(itemPath, "component " + quote(item.asText()) + " does not exist in spec.graph.components; fix the name or remove it");
        }
      }
    }
    if (listed == 0) {
      errors.add(path, "matches no component; list componentNames, chartNames or resourceNames");
    }
  }

  /** Returns why {@code key} is not a label key ({@code [prefix/]name}), or empty when it is one. */
  static Optional<String> labelKeyProblem(String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean validPrefix = slash < 0 || JsonFields.isDnsSubdomain(prefix);
    boolean validName = name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    if (validPrefix && validName) {
      return Optional.empty();
    }
    return Optional.of(
        "invalid label key " + quote(key) + "; use [prefix/]name, where the name has at most 63 letters, digits, '-', '_' "
            + "and '.' and the prefix is a DNS subdomain");
  }

  private static boolean isLabelValue(String value) {
    return value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    HashSet<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
