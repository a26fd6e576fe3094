package com.petuum.rampart.admission.conversion;

/** Signals an object that cannot be converted, with a message that says why and what to fix. */
public final class ConversionException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }
}
