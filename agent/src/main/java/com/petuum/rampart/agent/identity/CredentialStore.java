package com.petuum.rampart.agent.identity;

import java.util.Optional;

/**
 * Where an agent keeps its key and certificate between restarts. Implementations must be
 * thread-safe.
 */
public interface CredentialStore {

  /** Returns the stored credentials, or empty before the first join. */
  Optional<AgentCredentials> load();

  /** Stores credentials, replacing any earlier ones. */
  void save(AgentCredentials credentials);
}
