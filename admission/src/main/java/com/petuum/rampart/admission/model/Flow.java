package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A flow of a graph: a volume, a Pulsar topic or a repository that edges read and write.
 * Immutable.
 *
 * @param name the flow name, a DNS label
 * @param type the flow type
 * @param repository the repository settings, present exactly for repository flows that parsed
 */
public record Flow(String name, FlowType type, Optional<RepositoryConfig> repository) {

  public Flow {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(repository, "repository");
  }
}
