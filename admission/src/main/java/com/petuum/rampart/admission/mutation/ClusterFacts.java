package com.petuum.rampart.admission.mutation;

import static java.util.Objects.requireNonNull;

/**
 * Facts about the member cluster that pod mutation depends on. Immutable.
 *
 * @param hasGpus whether any node advertises {@code nvidia.com/gpu}; then containers that request
 *     no GPU get a limit of 0, so the NVIDIA runtime does not expose every GPU to them
 * @param pulsarServiceUrl the Pulsar broker URL that pulsar edges receive, such as
 *     {@code pulsar://pulsar-broker.pulsar.svc:6650}
 * @param gitImage the image of the init containers that clone repository flows
 */
public record ClusterFacts(boolean hasGpus, String pulsarServiceUrl, String gitImage) {

  public static final String DEFAULT_PULSAR_SERVICE_URL = "pulsar://pulsar-broker.pulsar.svc.cluster.local:6650";

  // NOTE: a guessed default; the agent chart should set the image its members can pull.
  public static final String DEFAULT_GIT_IMAGE = "alpine/git:2.47.2";

  public ClusterFacts {
    requireNonNull(pulsarServiceUrl, "pulsarServiceUrl");
    requireNonNull(gitImage, "gitImage");
  }

  /** Returns the facts of a cluster with the default Pulsar URL and clone image. */
  public static ClusterFacts withGpus(boolean hasGpus) {
    return new ClusterFacts(hasGpus, DEFAULT_PULSAR_SERVICE_URL, DEFAULT_GIT_IMAGE);
  }
}
