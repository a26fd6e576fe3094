package com.petuum.rampart.admission.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies the {@code add} operations of a JSON Patch (RFC 6902), as the apiserver would, so tests
 * can check the pod that results. Fails on any other operation or a missing parent.
 */
public final class JsonPatch {

  private JsonPatch() {}

  public static JsonNode apply(JsonNode document, ArrayNode patch) {
    JsonNode result = document.deepCopy();
    for (JsonNode operation : patch) {
      if (!operation.path("op").asText().equals("add")) {
        throw new IllegalArgumentException("unsupported operation: " + operation);
      }
      String path = operation.path("path").asText();
      int slash = path.lastIndexOf('/');
      JsonNode parent = result.at(path.substring(0, slash));
      String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      JsonNode value = operation.get("value").deepCopy();
      if (parent instanceof ObjectNode object) {
        object.set(last, value);
      } else if (parent instanceof ArrayNode array) {
        if (last.equals("-")) {
          array.add(value);
        } else {
          array.insert(Integer.parseInt(last), value);
        }
      } else {
        throw new IllegalArgumentException("no parent for " + path + " in " + result);
      }
    }
    return result;
  }
}
