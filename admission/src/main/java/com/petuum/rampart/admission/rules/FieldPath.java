package com.petuum.rampart.admission.rules;

/**
 * Builds the dotted field paths that errors carry, in the form the Kubernetes API uses:
 * {@code spec.graph.components.trainer.needs[0]}. Map keys that are not plain identifiers (an
 * empty edge name, a key with a dot or a slash) are written in brackets and quotes, so every
 * path reads back unambiguously.
 */
public final class FieldPath {

  private FieldPath() {}

  /** Returns the path of {@code key} inside the object at {@code parent}. */
  public static String child(String parent, String key) {
    if (isPlain(key)) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  /**
   * Returns whether {@code key} is made of letters, digits, '_', '$' and '-' only. A loop rather
   * than a regular expression, because validation builds a path for every field it reads.
   */
  private static boolean isPlain(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '-';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** Returns the path of element {@code index} of the list at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
