package com.petuum.rampart.scheduler.model;

/**
 * A toleration with Kubernetes semantics: {@code Exists} matches any value, {@code Equal} the
 * given one; an empty key with {@code Exists} matches every taint; a missing effect matches
 * every effect.
 *
 * @param key taint key, empty to match every key (only with {@code exists})
 * @param exists true for operator {@code Exists}, false for {@code Equal}
 * @param value value compared under {@code Equal}
 * @param effect effect matched, or null for all effects
 */
public record Toleration(String key, boolean exists, String value, TaintEffect effect) {

  public Toleration {
    key = key == null ? "" : key;
    value = value == null ? "" : value;
    if (key.isEmpty() && !exists) {
      throw new IllegalArgumentException("toleration: empty key with operator Equal (expected a key, or operator Exists to tolerate every taint)");
    }
  }

  public static Toleration equal(String key, String value, TaintEffect effect) {
    return new Toleration(key, false, value, effect);
  }

  public static Toleration exists(String key, TaintEffect effect) {
    return new Toleration(key, true, "", effect);
  }

  public boolean tolerates(Taint taint) {
    if (effect != null && effect != taint.effect()) {
      return false;
    }
    if (key.isEmpty()) {
      return true;
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return exists || value.equals(taint.value());
  }
}
