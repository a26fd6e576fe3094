package com.petuum.rampart.agent.helm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, upgrades and uninstalls Helm releases on one cluster through helm-java, which runs
 * Helm's Go code in-process (Helm 3.21 in helm-java 0.0.21), so no {@code helm} binary is needed.
 *
 * <ul>
 *   <li>Charts come from their repository through {@link ChartDownloader}; Helm then installs the
 *       local archive, so no Helm repository configuration is kept on disk.
 *   <li>Values are written to a temporary YAML file and passed as {@code --values}, so nested maps
 *       and lists reach the chart as written, not through {@code --set} string parsing.
 *   <li>Helm's {@code --wait} is not used: readiness is read from the workloads by the caller, so a
 *       slow component does not hold a worker thread for the Helm timeout.
 * </ul>
 *
 * <p>Thread-safe for different releases; callers serialise operations on one release.
 */
public final class HelmReleases {

  private static final Logger log = LoggerFactory.getLogger(HelmReleases.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Optional<Path> kubeconfig;
  private final ChartDownloader downloader;
  private final MeterRegistry registry;
  private final Path workFolder;

  /**
   * Creates a client of the cluster in {@code kubeconfig}, or of the cluster the process runs in
   * when it is empty (Helm then reads the in-cluster service account).
   *
   * @param workFolder where chart archives and values files are written; created when missing
   */
  public HelmReleases(Optional<Path> kubeconfig, Path workFolder) {
    this(kubeconfig, workFolder, new SimpleMeterRegistry());
  }

  /**
   * Creates releases that count each install, upgrade and uninstall in
   * {@code rampart_helm_operations_total}, tagged by operation and result.
   */
  public HelmReleases(Optional<Path> kubeconfig, Path workFolder, MeterRegistry registry) {
    this.kubeconfig = requireNonNull(kubeconfig, "kubeconfig");
    this.workFolder = requireNonNull(workFolder, "workFolder");
    this.downloader = new ChartDownloader(workFolder.resolve("charts"));
    this.registry = requireNonNull(registry, "registry");
  }

  private void count(String operation, boolean succeeded) {
    Counter.builder("rampart_helm_operations")
        .description("Helm operations of the local graph controller, by operation and result")
        .tag("operation", operation)
        .tag("result", succeeded ? "success" : "failure")
        .register(registry)
        .increment();
  }

  /**
   * Installs the release, or upgrades it when it exists ({@code helm upgrade --install}).
   *
   * @return the release as Helm reports it after the operation
   * @throws HelmException with Helm's own error text when the chart cannot be fetched, rendered
   *     or applied
   */
  public Release installOrUpgrade(String namespace, String release, ChartReference chart, Map<String, Object> values)
      throws HelmException {
    boolean succeeded = false;
    try {
      Release result = applyRelease(namespace, release, chart, values);
      succeeded = true;
      return result;
    } finally {
      count("install_or_upgrade", succeeded);
    }
  }

  private Release applyRelease(String namespace, String release, ChartReference chart, Map<String, Object> values)
      throws HelmException {
    Path archive = downloader.download(chart);
    Path valuesFile = null;
    try {
      Files.createDirectories(workFolder);
      valuesFile = Files.createTempFile(workFolder, release + "-" + namespace, ".yaml");
      YAML.writeValue(valuesFile.toFile(), values);
      UpgradeCommand upgrade = Helm.upgrade(archive.toString())
          .install()
          .withName(release)
          .withNamespace(namespace)
          .withValuesFile(valuesFile);
      kubeconfig.ifPresent(upgrade::withKubeConfig);
      Release result = upgrade.call();
      log.info("Helm release applied. namespace={} release={} chart={} revision={} status={}",
          namespace, release, chart, result.getRevision(), result.getStatus());
      return result;
    } catch (IOException e) {
      throw new HelmException("cannot write the values file for release " + release + " in " + namespace + ": "
          + e.getMessage(), e);
    } catch (IllegalStateException e) {
      // helm-java reports every Go-side error as an IllegalStateException with Helm's text.
      throw new HelmException(e.getMessage(), e);
    } finally {
      TerminationSignals.reclaim();
      deleteQuietly(valuesFile);
    }
  }

  /**
   * Uninstalls the release; a release that does not exist counts as uninstalled.
   *
   * @throws HelmException with Helm's own error text when the uninstall fails
   */
  public void uninstall(String namespace, String release) throws HelmException {
    UninstallCommand uninstall = Helm.uninstall(release).withNamespace(namespace).ignoreNotFound();
    kubeconfig.ifPresent(uninstall::withKubeConfig);
    try {
      uninstall.call();
      count("uninstall", true);
      log.info("Helm release uninstalled. namespace={} release={}", namespace, release);
    } catch (IllegalStateException e) {
      count("uninstall", false);
      throw new HelmException(e.getMessage(), e);
    } finally {
      TerminationSignals.reclaim();
    }
  }

  /** Returns the release in {@code namespace} named {@code release}, if Helm lists one. */
  public Optional<Release> find(String namespace, String release) throws HelmException {
    var list = Helm.list().all().withNamespace(namespace);
    kubeconfig.ifPresent(list::withKubeConfig);
    try {
      List<Release> releases = list.call();
      return releases.stream().filter(r -> r.getName().equals(release)).findFirst();
    } catch (IllegalStateException e) {
      throw new HelmException(e.getMessage(), e);
    } finally {
      TerminationSignals.reclaim();
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Cannot delete a temporary values file. file={} error={}", file, e.toString());
    }
  }
}
