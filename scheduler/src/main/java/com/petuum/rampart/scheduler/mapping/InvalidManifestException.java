package com.petuum.rampart.scheduler.mapping;

import java.util.List;

/** Thrown when an object cannot be mapped; carries every field error found, each with its path. */
public final class InvalidManifestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String object;
  private final List<String> errors;

  public InvalidManifestException(String object, List<String> errors) {
    super(object + " is invalid:\n  - " + String.join("\n  - ", errors));
    this.object = object;
    this.errors = List.copyOf(errors);
  }

  /** Returns the object, such as {@code RampartGraph team-a/train}. */
  public String object() {
    return object;
  }

  /** Returns each error as {@code path: problem (expected: rule)}. */
  public List<String> errors() {
    return errors;
  }
}
