package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The settings of a repository flow that validation and pod wiring read. Immutable.
 *
 * @param kind {@code git} or {@code dvc}
 * @param remote the git remote, when the repository is not hosted on a volume
 * @param storageRemote the DVC storage remote ({@code s3://...})
 * @param storageSecret the Secret with the DVC storage credentials
 * @param storageSecretType the kind of those credentials; only {@code s3} exists
 */
public record RepositoryConfig(
    String kind,
    Optional<String> remote,
    Optional<String> storageRemote,
    Optional<String> storageSecret,
    Optional<String> storageSecretType) {

  public static final String GIT = "git";
  public static final String DVC = "dvc";

  public RepositoryConfig {
    requireNonNull(kind, "kind");
    requireNonNull(remote, "remote");
    requireNonNull(storageRemote, "storageRemote");
    requireNonNull(storageSecret, "storageSecret");
    requireNonNull(storageSecretType, "storageSecretType");
  }
}
