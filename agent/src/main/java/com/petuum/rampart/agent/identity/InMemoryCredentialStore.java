package com.petuum.rampart.agent.identity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Credentials in memory, for simulated agents and tests. Thread-safe. */
public final class InMemoryCredentialStore implements CredentialStore {

  private final AtomicReference<AgentCredentials> credentials = new AtomicReference<>();

  @Override
  public Optional<AgentCredentials> load() {
    return Optional.ofNullable(credentials.get());
  }

  @Override
  public void save(AgentCredentials value) {
    credentials.set(value);
  }
}
