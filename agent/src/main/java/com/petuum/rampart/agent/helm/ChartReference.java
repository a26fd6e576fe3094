package com.petuum.rampart.agent.helm;

import static java.util.Objects.requireNonNull;

/**
 * A chart in a Helm chart repository, as a graph component names it. Immutable.
 *
 * @param repositoryUrl the repository's base URL, the folder that contains {@code index.yaml}
 * @param name the chart name
 * @param version an exact chart version, or {@code latest} for the highest non-prerelease one
 */
public record ChartReference(String repositoryUrl, String name, String version) {

  public static final String LATEST = "latest";

  public ChartReference {
    requireNonNull(repositoryUrl, "repositoryUrl");
    requireNonNull(name, "name");
    requireNonNull(version, "version");
  }

  @Override
  public String toString() {
    return name + "-" + version + " from " + repositoryUrl;
  }
}
