package com.petuum.rampart.agent.helm;

/**
 * A Helm operation or a chart download that failed. The message is Helm's own error text, or
 * the repository's response, so that it can go unchanged into a component's status.
 */
public final class HelmException extends Exception {

  private static final long serialVersionUID = 1L;

  public HelmException(String message) {
    super(message);
  }

  public HelmException(String message, Throwable cause) {
    super(message, cause);
  }
}
