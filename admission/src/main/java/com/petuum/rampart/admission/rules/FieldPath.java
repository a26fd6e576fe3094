package com.petuum.rampart.admission.rules;

import java.util.regex.Pattern;

/**
 * Builds the dotted field paths that errors carry, in the form the Kubernetes API uses:
 * {@code spec.graph.components.trainer.needs[0]}. Map keys that are not plain identifiers (an
 * empty edge name, a key with a dot or a slash) are written in brackets and quotes, so every
 * path reads back unambiguously.
 */
public final class FieldPath {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

  private FieldPath() {}

  /** Returns the path of {@code key} inside the object at {@code parent}. */
  public static String child(String parent, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  /** Returns the path of element {@code index} of the list at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
