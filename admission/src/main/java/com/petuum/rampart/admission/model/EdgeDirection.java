package com.petuum.rampart.admission.model;

/** Whether an edge reads a flow ({@code inputs}) or writes it ({@code outputs}). */
public enum EdgeDirection {
  INPUT("inputs", "INPUT"),
  OUTPUT("outputs", "OUTPUT");

  private final String fieldName;
  private final String envPart;

  EdgeDirection(String fieldName, String envPart) {
    this.fieldName = fieldName;
    this.envPart = envPart;
  }

  /** Returns the component field that holds edges of this direction. */
  public String fieldName() {
    return fieldName;
  }

  /** Returns the word used in environment variable names, {@code INPUT} or {@code OUTPUT}. */
  public String envPart() {
    return envPart;
  }
}
