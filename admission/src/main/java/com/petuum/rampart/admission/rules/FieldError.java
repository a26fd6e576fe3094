package com.petuum.rampart.admission.rules;

import static java.util.Objects.requireNonNull;

/**
 * One failed rule: the JSON field path of the offending value and a message that names the value
 * and the fix. Immutable.
 *
 * @param field path such as {@code spec.graph.components.trainer.inputs.data.flow}
 * @param message sentence that names the rejected value and what to change
 */
public record FieldError(String field, String message) {

  public FieldError {
    requireNonNull(field, "field");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
