package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A MemberCluster taint, written as kubectl writes node taints: {@code key=value:Effect} or
 * {@code key:Effect}. Immutable.
 */
record Taint(String key, String value, String effect) {

  static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  // A Kubernetes qualified name with an optional DNS-subdomain prefix, and a label value.
  private static final Pattern KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  Taint {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("taint key '" + key + "' is invalid (expected: a qualified name such as gpu or"
          + " example.com/reserved, letters, digits, '-', '_' and '.')");
    }
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException("taint value '" + value + "' of key " + key
          + " is invalid (expected: at most 63 letters, digits, '-', '_' and '.')");
    }
    if (!EFFECTS.contains(effect)) {
      throw new IllegalArgumentException("taint effect '" + effect + "' of key " + key
          + " is invalid (expected: NoSchedule, PreferNoSchedule or NoExecute)");
    }
  }

  /** Parses {@code key=value:Effect} or {@code key:Effect}. */
  static Taint parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("taint '" + text + "' has no effect (expected: key=value:Effect or key:Effect,"
          + " such as gpu=reserved:NoSchedule)");
    }
    String effect = text.substring(colon + 1);
    String keyValue = text.substring(0, colon);
    int equals = keyValue.indexOf('=');
    if (equals < 0) {
      return new Taint(keyValue, "", effect);
    }
    return new Taint(keyValue.substring(0, equals), keyValue.substring(equals + 1), effect);
  }

  static Taint fromJson(JsonNode node) {
    return new Taint(node.path("key").asText(), node.path("value").asText(""), node.path("effect").asText());
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode();
    node.put("key", key);
    if (!value.isEmpty()) {
      node.put("value", value);
    }
    node.put("effect", effect);
    return node;
  }

  @Override
  public String toString() {
    return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
  }
}
