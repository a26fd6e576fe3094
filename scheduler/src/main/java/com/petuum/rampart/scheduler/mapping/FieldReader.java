package com.petuum.rampart.scheduler.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads typed fields from a JSON tree and collects every error with its path instead of
 * stopping at the first. Not thread-safe; one per object mapped.
 */
final class FieldReader {

  private final List<String> errors = new ArrayList<>();

  List<String> errors() {
    return errors;
  }

  void error(String path, String message) {
    errors.add(path + ": " + message);
  }

  /** Runs {@code parse}, turning an {@link IllegalArgumentException} into an error at {@code path}. */
  <T> T attempt(String path, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      errors.add(message != null && message.startsWith(path) ? message : path + ": " + message);
      return null;
    }
  }

  static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  String string(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (!present(node)) {
      return null;
    }
    if (!node.isValueNode()) {
      error(path, "is a " + node.getNodeType().name().toLowerCase() + " (expected a string)");
      return null;
    }
    return node.asText();
  }

  String requiredString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null || value.isEmpty()) {
      error(path, "missing (expected a non-empty string)");
    }
    return value;
  }

  Integer integer(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (!present(node)) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node.isTextual() && node.asText().matches("-?[0-9]{1,9}")) {
      return Integer.parseInt(node.asText());
    }
    error(path, "\"" + node.asText() + "\" is not an integer (expected a whole number)");
    return null;
  }

  Boolean bool(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (!present(node)) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    error(path, "\"" + node.asText() + "\" is not a boolean (expected true or false)");
    return null;
  }

  List<String> strings(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    List<String> values = new ArrayList<>();
    if (!present(node)) {
      return values;
    }
    if (!node.isArray()) {
      error(path, "is a " + node.getNodeType().name().toLowerCase() + " (expected a list of strings)");
      return values;
    }
    for (int i = 0; i < node.size(); i++) {
      if (node.get(i).isValueNode()) {
        values.add(node.get(i).asText());
      } else {
        error(path + "[" + i + "]", "is not a string (expected a string)");
      }
    }
    return values;
  }

  /** Returns the elements of a list field, each with its path; empty when absent. */
  List<Map.Entry<String, JsonNode>> list(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
    if (!present(node)) {
      return items;
    }
    if (!node.isArray()) {
      error(path, "is a " + node.getNodeType().name().toLowerCase() + " (expected a list)");
      return items;
    }
    for (int i = 0; i < node.size(); i++) {
      items.add(Map.entry(path + "[" + i + "]", node.get(i)));
    }
    return items;
  }

  /** Returns the entries of a map field in key order; empty when absent. */
  TreeMap<String, JsonNode> map(JsonNode parent, String field, String path) {
    JsonNode node = parent == null ? null : parent.get(field);
    TreeMap<String, JsonNode> entries = new TreeMap<>();
    if (!present(node)) {
      return entries;
    }
    if (!node.isObject()) {
      error(path, "is a " + node.getNodeType().name().toLowerCase() + " (expected a map)");
      return entries;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      entries.put(entry.getKey(), entry.getValue());
    }
    return entries;
  }

  /** Returns a map of strings, such as labels or resource requests. */
  TreeMap<String, String> stringMap(JsonNode parent, String field, String path) {
    TreeMap<String, String> values = new TreeMap<>();
    map(parent, field, path).forEach(
        (key, value) -> {
          if (value.isValueNode() && !value.isNull()) {
            values.put(key, value.asText());
          } else {
            error(path + "." + key, "is not a string (expected a string)");
          }
        });
    return values;
  }

  <T> T enumValue(JsonNode parent, String field, String path, Function<String, T> parse) {
    String text = string(parent, field, path);
    return text == null ? null : attempt(path, () -> parse.apply(text));
  }
}
