package com.petuum.rampart.admission.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of JSON trees and reports, with the field path, every value that is
 * missing, of the wrong type or unknown. Every reader returns empty instead of throwing.
 */
final class JsonFields {

  /** A DNS label (RFC 1123): lower-case letters, digits and '-', at most 63 characters. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A DNS subdomain (RFC 1123): DNS labels joined by dots. */
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  static final int MAX_DNS_SUBDOMAIN_LENGTH = 253;

  private static final int MAX_QUOTED_LENGTH = 80;

  private JsonFields() {}

  /** Describes a JSON value for a message: {@code a string "x"}, {@code a number 3}, {@code null}. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "a string " + quote(node.asText());
    }
    if (node.isBoolean()) {
      return "a boolean " + node.asText();
    }
    if (node.isNumber()) {
      return "a number " + node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    return "an object";
  }

  /** Quotes a user value for a message, cut to a readable length. */
  static String quote(String value) {
    String shown = value.length() > MAX_QUOTED_LENGTH ? value.substring(0, MAX_QUOTED_LENGTH) + "..." : value;
    return "\"" + shown.replace("\"", "\\\"") + "\"";
  }

  /**
   * Returns the child named {@code field}, or null when it is missing or JSON null. The apiserver
   * drops null values of fields that are not nullable, so a null here means "not set".
   */
  static JsonNode field(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    return child == null || child.isNull() ? null : child;
  }

  /** Returns the node as an object, or reports it at {@code path} and returns empty. */
  static Optional<ObjectNode> object(JsonNode node, String path, ErrorCollector errors) {
    if (node instanceof ObjectNode objectNode) {
      return Optional.of(objectNode);
    }
    errors.add(path, "must be an object, not " + describe(node));
    return Optional.empty();
  }

  /** Returns the child object, reporting it when present with another type or missing and required. */
  static Optional<ObjectNode> childObject(
      ObjectNode parent, String field, String parentPath, boolean required, String purpose, ErrorCollector errors) {
    JsonNode child = field(parent, field);
    String path = FieldPath.child(parentPath, field);
    if (child == null) {
      if (required) {
        errors.add(path, "is required; add " + purpose);
      }
      return Optional.empty();
    }
    return object(child, path, errors);
  }

  /** Returns the child string, reporting it when present with another type or missing and required. */
  static Optional<String> childString(
      ObjectNode parent, String field, String parentPath, boolean required, String purpose, ErrorCollector errors) {
    JsonNode child = field(parent, field);
    String path = FieldPath.child(parentPath, field);
    if (child == null) {
      if (required) {
        errors.add(path, "is required; add " + purpose);
      }
      return Optional.empty();
    }
    if (!child.isTextual()) {
      errors.add(path, "must be a string, not " + describe(child));
      return Optional.empty();
    }
    return Optional.of(child.asText());
  }

  /** Returns the child boolean, reporting it when present with another type. */
  static Optional<Boolean> childBoolean(ObjectNode parent, String field, String parentPath, ErrorCollector errors) {
    JsonNode child = field(parent, field);
    if (child == null) {
      return Optional.empty();
    }
    if (!child.isBoolean()) {
      errors.add(FieldPath.child(parentPath, field), "must be true or false, not " + describe(child));
      return Optional.empty();
    }
    return Optional.of(child.booleanValue());
  }

  /** Returns the child integer, reporting it when present with another type or out of int range. */
  static Optional<Long> childInteger(ObjectNode parent, String field, String parentPath, ErrorCollector errors) {
    JsonNode child = field(parent, field);
    if (child == null) {
      return Optional.empty();
    }
    if (!child.isIntegralNumber() || !child.canConvertToLong()) {
      errors.add(FieldPath.child(parentPath, field), "must be a whole number, not " + describe(child));
      return Optional.empty();
    }
    return Optional.of(child.longValue());
  }

  /** Reports every field of {@code object} not in {@code allowed}. */
  static void rejectUnknownFields(ObjectNode object, String path, Set<String> allowed, ErrorCollector errors) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      String name = fields.next().getKey();
      if (!allowed.contains(name)) {
        errors.add(
            FieldPath.child(path, name),
            "unknown field " + quote(name) + "; remove it or fix its spelling (allowed here: "
                + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  /** Returns whether {@code value} is a DNS label of at most 63 characters. */
  static boolean isDnsLabel(String value) {
    return value.length() <= 63 && DNS_LABEL.matcher(value).matches();
  }

  /** Returns whether {@code value} is a DNS subdomain of at most 253 characters. */
  static boolean isDnsSubdomain(String value) {
    return value.length() <= MAX_DNS_SUBDOMAIN_LENGTH && DNS_SUBDOMAIN.matcher(value).matches();
  }
}
