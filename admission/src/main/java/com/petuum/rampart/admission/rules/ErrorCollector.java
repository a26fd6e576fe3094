package com.petuum.rampart.admission.rules;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors of one validation in the order rules find them. Not thread-safe. */
final class ErrorCollector {

  private final List<FieldError> errors = new ArrayList<>();

  void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Returns whether an error names {@code field} or a field inside it. */
  boolean hasErrorWithin(String field) {
    for (FieldError error : errors) {
      String name = error.field();
      if (name.equals(field) || name.startsWith(field + ".") || name.startsWith(field + "[")) {
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int size() {
    return errors.size();
  }

  List<FieldError> errors() {
    return List.copyOf(errors);
  }
}
