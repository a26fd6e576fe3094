package com.petuum.rampart.admission.rules;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of validating one object: every error found, and the rules that were not run
 * because they need state this validation could not see (other graphs, the member clusters).
 * Immutable.
 */
public record ValidationReport(List<FieldError> errors, List<String> skippedRules) {

  public ValidationReport {
    errors = List.copyOf(requireNonNull(errors, "errors"));
    skippedRules = List.copyOf(requireNonNull(skippedRules, "skippedRules"));
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  /** Returns one line per error, {@code field: message}, for logs and denials. */
  public String describeErrors() {
    StringBuilder text = new StringBuilder();
    for (FieldError error : errors) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(error);
    }
    return text.toString();
  }
}
