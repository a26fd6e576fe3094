package com.petuum.rampart.hub.join;

import java.util.Optional;

/**
 * Storage of bootstrap tokens. Implementations must be thread-safe, and {@link #markUsed} must be
 * an atomic compare-and-set, because it is what keeps a token single-use when two agents join with
 * it at the same time.
 */
public interface BootstrapTokenStore {

  /** Stores a new token; fails with {@link IllegalStateException} when the id exists. */
  void create(StoredToken token);

  /** Returns the token with this id, or empty. */
  Optional<StoredToken> find(String id);

  /**
   * Stores {@code used} in place of the token if the stored version still equals
   * {@code used.version()}.
   *
   * @return true when this call marked the token used; false when another writer changed or
   *     deleted it first
   */
  boolean markUsed(StoredToken used);
}
