package com.petuum.rampart.hub.join;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** A token store in memory, for tests and single-process benchmarks. Thread-safe. */
public final class InMemoryBootstrapTokenStore implements BootstrapTokenStore {

  private final ConcurrentMap<String, StoredToken> tokens = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();

  @Override
  public void create(StoredToken token) {
    StoredToken stored = token.withVersion(Long.toString(versions.incrementAndGet()));
    if (tokens.putIfAbsent(token.id(), stored) != null) {
      throw new IllegalStateException("token id " + token.id() + " exists already");
    }
  }

  @Override
  public Optional<StoredToken> find(String id) {
    return Optional.ofNullable(tokens.get(id));
  }

  @Override
  public boolean markUsed(StoredToken used) {
    StoredToken[] replaced = new StoredToken[1];
    tokens.computeIfPresent(
        used.id(),
        (id, current) -> {
          if (!current.version().equals(used.version())) {
            return current;
          }
          replaced[0] = used.withVersion(Long.toString(versions.incrementAndGet()));
          return replaced[0];
        });
    return replaced[0] != null;
  }

  /** Deletes a token, as an operator deleting its Secret would. */
  public void delete(String id) {
    tokens.remove(id);
  }
}
