package com.petuum.rampart.admission.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds random JSON from a seeded {@link Random}: trees whose keys come from the RampartGraph
 * vocabulary, so they reach deep into the validator, and random damage to valid graphs.
 */
public final class RandomJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Field names and values the graph schema uses, plus a few that break patterns. */
  private static final String[] WORDS = {
    "apiVersion", "kind", "metadata", "name", "namespace", "spec", "graph", "components", "flows", "chart",
    "repo", "version", "secret", "config", "inputs", "outputs", "type", "flow", "mountPath", "needs",
    "ingressNeeded", "auxConfig", "$ui", "resources", "count", "requests", "placement", "clusterAffinity",
    "clusterNames", "labelSelector", "matchLabels", "matchExpressions", "key", "operator", "values",
    "preferredAffinities", "weight", "tolerations", "effect", "value", "spread", "topologyKey", "minDomains",
    "maxComponentsPerDomain", "componentRules", "match", "componentNames", "chartNames", "resourceNames",
    "strategy", "failover", "enabled", "tolerationSeconds", "mode", "policyRef", "deploy", "size", "reclaimPolicy",
    "remote", "storageRemote", "storageSecret", "storageSecretType", "volume", "pulsar", "repository", "git", "dvc",
    "rampart.petuum.com/v1", "rampart.petuum.com/v1beta1", "rampart.petuum.com/v1beta2", "RampartGraph", "a", "b",
    "In", "Exists", "-1", "1e400", "16Gi", "nvidia.com/gpu", "cpu", "/", "/a", "/a/b", "/.RAMPART", "", " ", "_",
    "rampart-flows", "s3://", "https://", "x".repeat(70), "\u0000", "ünïcode", "a.b", "a/b", "[0]", "~1"
  };

  private RandomJson() {}

  /** Returns a random JSON value, at most {@code depth} levels deep. */
  public static JsonNode value(Random random, int depth) {
    int choice = random.nextInt(depth <= 0 ? 6 : 9);
    return switch (choice) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      // Kept apart so small numbers stay IntNode, as a JSON parser reads them. In Jackson's tree
      // model a long 38 is not equal to an int 38.
      case 2 -> random.nextInt(5) == 0 ? NODES.numberNode(random.nextLong()) : NODES.numberNode(random.nextInt(200) - 50);
      case 3 -> NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 4, 5 -> NODES.textNode(word(random));
      case 6 -> array(random, depth - 1);
      default -> object(random, depth - 1);
    };
  }

  /** Returns a random object whose keys come from the graph vocabulary. */
  public static ObjectNode object(Random random, int depth) {
    ObjectNode object = NODES.objectNode();
    int size = random.nextInt(6);
    for (int i = 0; i < size; i++) {
      object.set(word(random), value(random, depth));
    }
    return object;
  }

  private static ArrayNode array(Random random, int depth) {
    ArrayNode array = NODES.arrayNode();
    int size = random.nextInt(4);
    for (int i = 0; i < size; i++) {
      array.add(value(random, depth));
    }
    return array;
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  /** Returns a copy of {@code original} with a few nodes replaced, removed or added at random. */
  public static JsonNode damage(JsonNode original, Random random, int changes) {
    JsonNode copy = original.deepCopy();
    for (int i = 0; i < changes; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(copy, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() || random.nextInt(4) == 0 ? word(random) : names.get(random.nextInt(names.size()));
        if (random.nextInt(3) == 0) {
          object.remove(name);
        } else {
          object.set(name, value(random, 3));
        }
      } else if (target instanceof ArrayNode array) {
        if (array.isEmpty() || random.nextBoolean()) {
          array.add(value(random, 2));
        } else {
          array.set(random.nextInt(array.size()), value(random, 2));
        }
      }
    }
    return copy;
  }

  private static void collectContainers(JsonNode node, List<JsonNode> containers) {
    if (!node.isContainerNode()) {
      return;
    }
    containers.add(node);
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    if (node.isArray()) {
      node.forEach(child -> collectContainers(child, containers));
    }
    while (fields.hasNext()) {
      collectContainers(fields.next().getValue(), containers);
    }
  }
}
