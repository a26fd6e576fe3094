package com.petuum.rampart.scheduler.model;

/** Operator of a label selector requirement, as in Kubernetes {@code matchExpressions}. */
public enum SelectorOperator {
  IN("In"),
  NOT_IN("NotIn"),
  EXISTS("Exists"),
  DOES_NOT_EXIST("DoesNotExist");

  private final String apiName;

  SelectorOperator(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  public static SelectorOperator fromApiName(String field, String value) {
    for (SelectorOperator operator : values()) {
      if (operator.apiName.equals(value)) {
        return operator;
      }
    }
    throw new IllegalArgumentException(
        field + ": \"" + value + "\" is not a selector operator (expected In, NotIn, Exists or DoesNotExist)");
  }
}
