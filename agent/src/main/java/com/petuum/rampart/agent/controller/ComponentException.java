package com.petuum.rampart.agent.controller;

/**
 * A component cannot be deployed for a reason the user or the cluster must fix. Its message
 * goes into the component's status as written, so it names the object and the fix.
 */
final class ComponentException extends Exception {

  private static final long serialVersionUID = 1L;

  ComponentException(String message) {
    super(message);
  }

  ComponentException(String message, Throwable cause) {
    super(message, cause);
  }
}
