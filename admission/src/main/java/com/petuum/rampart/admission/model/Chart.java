package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The Helm chart that implements a component. Immutable.
 *
 * @param repo a chart repository URL, or the name of a Secret whose {@code url} key holds it
 * @param name the chart name
 * @param version a semantic version, or {@code latest}
 * @param secret the Secret with {@code username} and {@code password} for a URL repository
 */
public record Chart(String repo, String name, String version, Optional<String> secret) {

  public static final String LATEST = "latest";

  public Chart {
    requireNonNull(repo, "repo");
    requireNonNull(name, "name");
    requireNonNull(version, "version");
    requireNonNull(secret, "secret");
  }
}
