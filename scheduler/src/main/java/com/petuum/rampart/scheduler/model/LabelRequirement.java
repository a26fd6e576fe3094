package com.petuum.rampart.scheduler.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One {@code matchExpressions} entry; {@code In} and {@code NotIn} need values, the others none. */
public record LabelRequirement(String key, SelectorOperator operator, List<String> values) {

  public LabelRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values == null ? List.of() : values);
    boolean needsValues = operator == SelectorOperator.IN || operator == SelectorOperator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new IllegalArgumentException(
          "values: empty for operator " + operator.apiName() + " on key " + key + " (expected at least one value)");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new IllegalArgumentException(
          "values: " + values + " given for operator " + operator.apiName() + " on key " + key + " (expected none)");
    }
  }

  public boolean matches(Map<String, String> labels) {
    String actual = labels.get(key);
    switch (operator) {
      case IN:
        return actual != null && values.contains(actual);
      case NOT_IN:
        return actual == null || !values.contains(actual);
      case EXISTS:
        return actual != null;
      case DOES_NOT_EXIST:
        return actual == null;
      default:
        throw new AssertionError("unhandled operator " + operator);
    }
  }

  @Override
  public String toString() {
    switch (operator) {
      case IN:
        return key + " in (" + String.join(",", values) + ")";
      case NOT_IN:
        return key + " notin (" + String.join(",", values) + ")";
      case EXISTS:
        return key;
      default:
        return "!" + key;
    }
  }
}
