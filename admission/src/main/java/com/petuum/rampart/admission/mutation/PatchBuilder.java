package com.petuum.rampart.admission.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds a JSON Patch of {@code add} operations. Not thread-safe. */
final class PatchBuilder {

  private final ArrayNode operations = JsonNodeFactory.instance.arrayNode();

  void add(String path, JsonNode value) {
    ObjectNode operation = operations.addObject();
    operation.put("op", "add");
    operation.put("path", path);
    operation.set("value", value);
  }

  /** Appends items to the list at {@code path}, creating the list when {@code current} is not one. */
  void appendAll(JsonNode current, String path, List<ObjectNode> items) {
    if (items.isEmpty()) {
      return;
    }
    if (!current.isArray()) {
      add(path, JsonNodeFactory.instance.arrayNode().addAll(items));
      return;
    }
    for (ObjectNode item : items) {
      add(path + "/-", item);
    }
  }

  /** Inserts items at the start of the list at {@code path}, in order, creating the list when needed. */
  void prependAll(JsonNode current, String path, List<ObjectNode> items) {
    if (items.isEmpty()) {
      return;
    }
    if (!current.isArray()) {
      add(path, JsonNodeFactory.instance.arrayNode().addAll(items));
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      add(path + "/" + i, items.get(i));
    }
  }

  ArrayNode build() {
    return operations.deepCopy();
  }

  /** Escapes a key for a JSON Pointer (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
