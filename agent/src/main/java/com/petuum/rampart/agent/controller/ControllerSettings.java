package com.petuum.rampart.agent.controller;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the local graph controller. Immutable.
 *
 * @param storageClass the storage class of flow volume claims; empty uses the cluster's default
 * @param registry the image registry charts receive as {@code rampart.registry}
 * @param workers how many graphs are reconciled at once
 * @param pollInterval how often the graphs are listed to find changes
 * @param resyncPeriod how often every graph is reconciled without a change
 * @param readinessPollInterval how soon a graph whose workloads are not ready yet is looked at again
 * @param workFolder where chart archives and values files are kept
 */
public record ControllerSettings(
    Optional<String> storageClass,
    String registry,
    int workers,
    Duration pollInterval,
    Duration resyncPeriod,
    Duration readinessPollInterval,
    Path workFolder) {

  public ControllerSettings {
    requireNonNull(storageClass, "storageClass");
    requireNonNull(registry, "registry");
    checkArgument(workers > 0, "workers: %s (expected: at least 1)", workers);
    checkArgument(!pollInterval.isNegative() && !pollInterval.isZero(),
        "pollInterval: %s (expected: positive)", pollInterval);
    checkArgument(!resyncPeriod.isNegative() && !resyncPeriod.isZero(),
        "resyncPeriod: %s (expected: positive)", resyncPeriod);
    checkArgument(!readinessPollInterval.isNegative() && !readinessPollInterval.isZero(),
        "readinessPollInterval: %s (expected: positive)", readinessPollInterval);
    requireNonNull(workFolder, "workFolder");
  }

  /**
   * Returns the defaults: the cluster's default storage class, no registry, two workers, a
   * 1-second list poll, a 60-second resync and a 2-second readiness poll.
   */
  public static ControllerSettings defaults(Path workFolder) {
    return new ControllerSettings(
        Optional.empty(), "", 2, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), workFolder);
  }

  /** Returns these settings with {@code newStorageClass} for flow volume claims. */
  public ControllerSettings withStorageClass(String newStorageClass) {
    return new ControllerSettings(
        Optional.of(newStorageClass), registry, workers, pollInterval, resyncPeriod, readinessPollInterval, workFolder);
  }
}
