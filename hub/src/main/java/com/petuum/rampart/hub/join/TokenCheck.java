package com.petuum.rampart.hub.join;

/**
 * The outcome of redeeming a bootstrap token. Immutable.
 *
 * <p>{@link Rejected#reason()} is a fixed phrase that is safe to send to the agent: it never
 * reveals to a caller without the secret whether a token id exists.
 */
public sealed interface TokenCheck {

  /** Reason sent for a token that does not exist or whose secret does not match. */
  String UNKNOWN = "bootstrap token is unknown or its secret does not match";

  String EXPIRED = "bootstrap token has expired";

  String USED = "bootstrap token was already used";

  String OTHER_CLUSTER = "bootstrap token is bound to another cluster";

  static TokenCheck accepted() {
    return new Accepted();
  }

  static TokenCheck rejected(String reason) {
    return new Rejected(reason);
  }

  record Accepted() implements TokenCheck {}

  record Rejected(String reason) implements TokenCheck {}
}
