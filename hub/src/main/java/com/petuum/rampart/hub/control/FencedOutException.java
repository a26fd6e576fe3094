package com.petuum.rampart.hub.control;

import com.petuum.rampart.hub.leader.Epoch;

/** Thrown when the fence refuses a write because another replica leads with a newer epoch. */
final class FencedOutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  FencedOutException(Epoch epoch) {
    super("epoch " + epoch + " is no longer the newest; another hub replica leads");
  }
}
