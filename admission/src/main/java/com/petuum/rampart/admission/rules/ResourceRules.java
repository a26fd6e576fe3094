package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.describe;
import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.PodResources;
import com.petuum.rampart.admission.model.Quantity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks resource names and the {@code resources} lists of components and component rules. */
final class ResourceRules {

  /** Resource names Kubernetes defines without a domain prefix; {@code hugepages-<size>} is checked apart. */
  static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "storage", "pods");

  private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Set<String> RESOURCES_FIELDS = Set.of("count", "requests");

  /** Most pods one entry of {@code resources} may count; more is almost certainly a typo. */
  static final int MAX_POD_COUNT = 10_000;

  private ResourceRules() {}

  /**
   * Returns why {@code name} is not a resource name the scheduler can count, or empty when it is:
   * one of the standard names, {@code hugepages-<size>}, or an extended resource with a domain
   * prefix such as {@code nvidia.com/gpu}.
   */
  static Optional<String> resourceNameProblem(String name) {
    if (STANDARD_RESOURCES.contains(name)) {
      return Optional.empty();
    }
    if (name.startsWith("hugepages-") && Quantity.parse(name.substring("hugepages-".length())).isPresent()) {
      return Optional.empty();
    }
    int slash = name.indexOf('/');
    if (slash < 0) {
      return Optional.of(
          "unknown resource name " + quote(name) + "; use cpu, memory, ephemeral-storage, hugepages-<size>, or an "
              + "extended resource with a domain such as nvidia.com/gpu");
    }
    String domain = name.substring(0, slash);
    String resource = name.substring(slash + 1);
    if (!JsonFields.isDnsSubdomain(domain) || resource.length() > 63 || !QUALIFIED_NAME_PART.matcher(resource).matches()) {
      return Optional.of(
          "invalid resource name " + quote(name) + "; write an extended resource as <domain>/<name>, such as "
              + "nvidia.com/gpu");
    }
    if (domain.equals("kubernetes.io") || domain.endsWith(".kubernetes.io")) {
      return Optional.of(
          "invalid resource name " + quote(name) + "; the kubernetes.io domain is reserved for Kubernetes' own "
              + "resources, use cpu, memory or your device plugin's name");
    }
    return Optional.empty();
  }

  /** Returns whether {@code name}, a valid resource name, is an extended resource such as {@code nvidia.com/gpu}. */
  private static boolean isExtendedResource(String name) {
    return name.contains("/");
  }

  /** Parses a list of {@code {count, requests}} entries, reporting every problem with its path. */
  static List<PodResources> parseResources(JsonNode node, String path, ErrorCollector errors) {
    if (!node.isArray()) {
      errors.add(path, "must be a list of {count, requests} entries, not " + describe(node));
      return List.of();
    }
    List<PodResources> resources = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String itemPath = FieldPath.index(path, i);
      Optional<ObjectNode> item = JsonFields.object(node.get(i), itemPath, errors);
      if (item.isEmpty()) {
        continue;
      }
      JsonFields.rejectUnknownFields(item.get(), itemPath, RESOURCES_FIELDS, errors);
      long count = JsonFields.childInteger(item.get(), "count", itemPath, errors).orElse(1L);
      if (count < 1 || count > MAX_POD_COUNT) {
        errors.add(
            FieldPath.child(itemPath, "count"),
            "invalid pod count " + count + "; use a number from 1 to " + MAX_POD_COUNT);
        continue;
      }
      Optional<ObjectNode> requests =
          JsonFields.childObject(item.get(), "requests", itemPath, true, "the requests per pod, such as {cpu: \"4\", memory: 16Gi}", errors);
      requests.map(r -> parseRequests(r, FieldPath.child(itemPath, "requests"), errors))
          .ifPresent(r -> resources.add(new PodResources((int) count, r)));
    }
    return resources;
  }

  private static Map<String, Quantity> parseRequests(ObjectNode requests, String path, ErrorCollector errors) {
    Map<String, Quantity> parsed = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = requests.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String entryPath = FieldPath.child(path, entry.getKey());
      Optional<String> nameProblem = resourceNameProblem(entry.getKey());
      if (nameProblem.isPresent()) {
        errors.add(entryPath, nameProblem.get());
        continue;
      }
      JsonNode value = entry.getValue();
      Optional<Quantity> quantity =
          value.isTextual() || value.isNumber() ? Quantity.parse(value.asText()) : Optional.empty();
      if (quantity.isEmpty()) {
        String quantityText = value.isTextual() ? quote(value.asText()) : describe(value);
        errors.add(entryPath, "invalid quantity " + quantityText + "; use a Kubernetes quantity such as \"4\", \"500m\" or \"16Gi\"");
      } else if (quantity.get().isNegative()) {
        errors.add(entryPath, "negative quantity " + quote(value.asText()) + "; requests must be zero or more");
      } else if (isExtendedResource(entry.getKey()) && !quantity.get().isWhole()) {
        errors.add(entryPath, "invalid quantity " + quote(value.asText()) + " for extended resource " + entry.getKey()
            + "; Kubernetes counts extended resources in whole units, so use a whole number such as \"1\"");
      } else {
        parsed.put(entry.getKey(), quantity.get());
      }
    }
    return parsed;
  }
}
