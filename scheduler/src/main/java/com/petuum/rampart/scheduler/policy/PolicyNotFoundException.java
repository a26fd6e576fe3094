package com.petuum.rampart.scheduler.policy;

/** Thrown when a graph's {@code spec.placement.policyRef} names a policy that does not exist. */
public final class PolicyNotFoundException extends Exception {

  private static final long serialVersionUID = 1L;

  public PolicyNotFoundException(String message) {
    super(message);
  }
}
