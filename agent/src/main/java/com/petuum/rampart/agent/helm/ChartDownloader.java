package com.petuum.rampart.agent.helm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Downloads chart archives from Helm chart repositories the way {@code helm pull --repo} does:
 * reads the repository's {@code index.yaml}, picks the version, and fetches the archive at the
 * URL the index lists, relative to the repository when it is not absolute.
 *
 * <p>Archives are cached by repository, name and version, so each version is downloaded once,
 * and a cached archive serves later installs while the repository is unreachable. Two
 * repositories that publish the same chart name and version keep separate archives. A download
 * whose SHA-256 differs from the index's {@code digest} is rejected. Thread-safe: concurrent
 * downloads of one version write separate temporary files and move them into place atomically.
 *
 * <p>NOTE: repositories that need credentials ({@code chart.secret}) are not supported yet; their
 * index request fails with the server's status code.
 */
public final class ChartDownloader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final Path cacheFolder;

  /** Creates a downloader that keeps archives in {@code cacheFolder}, created when missing. */
  public ChartDownloader(Path cacheFolder) {
    this.cacheFolder = requireNonNull(cacheFolder, "cacheFolder");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /**
   * Returns the local path of the chart archive, downloading it when it is not cached.
   *
   * @throws HelmException when the repository cannot be read, has no such chart or version, or
   *     the archive download fails; the message names the chart, the version and the repository
   */
  public Path download(ChartReference chart) throws HelmException {
    String repository = chart.repositoryUrl().endsWith("/") ? chart.repositoryUrl() : chart.repositoryUrl() + "/";
    Path repositoryFolder = cacheFolder.resolve(folderName(repository));
    if (!chart.version().equals(ChartReference.LATEST)) {
      Path cached = repositoryFolder.resolve(chart.name() + "-" + chart.version() + ".tgz");
      if (Files.isRegularFile(cached)) {
        return cached;
      }
    }
    JsonNode versions = readIndex(repository).path("entries").path(chart.name());
    if (!versions.isArray() || versions.isEmpty()) {
      throw new HelmException("chart " + chart.name() + " not found in repository " + chart.repositoryUrl());
    }
    JsonNode entry = pickVersion(chart, versions);
    String version = entry.path("version").asText();
    Path target = repositoryFolder.resolve(chart.name() + "-" + version + ".tgz");
    if (Files.isRegularFile(target)) {
      return target;
    }
    String archiveUrl = entry.path("urls").path(0).asText();
    if (archiveUrl.isEmpty()) {
      throw new HelmException("chart " + chart.name() + "-" + version + " in repository " + chart.repositoryUrl()
          + " lists no download URL in index.yaml");
    }
    return fetch(URI.create(repository).resolve(archiveUrl), target, chart, entry.path("digest").asText(""));
  }

  // The first 16 hex digits of the URL's SHA-256: a file name that any URL maps to, and the same
  // one on every start, so the cache survives restarts.
  private static String folderName(String repository) {
    return Hashing.sha256().hashString(repository, StandardCharsets.UTF_8).toString().substring(0, 16);
  }

  private JsonNode readIndex(String repository) throws HelmException {
    URI indexUri = URI.create(repository).resolve("index.yaml");
    try {
      HttpResponse<byte[]> response = http.send(
          HttpRequest.newBuilder(indexUri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new HelmException("failed to fetch " + indexUri + ": HTTP " + response.statusCode());
      }
      return YAML.readTree(response.body());
    } catch (IOException e) {
      throw new HelmException("failed to fetch " + indexUri + ": " + describe(e) + "; check that the chart repository"
          + " is reachable from the member", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmException("interrupted while fetching " + indexUri, e);
    }
  }

  private static JsonNode pickVersion(ChartReference chart, JsonNode versions) throws HelmException {
    List<String> available = new ArrayList<>();
    versions.forEach(entry -> available.add(entry.path("version").asText()));
    if (chart.version().equals(ChartReference.LATEST)) {
      Optional<JsonNode> highest = stream(versions)
          .filter(entry -> !entry.path("version").asText().contains("-"))
          .max(Comparator.comparing(entry -> entry.path("version").asText(), ChartDownloader::compareVersions));
      if (highest.isPresent()) {
        return highest.get();
      }
    } else {
      Optional<JsonNode> exact = stream(versions).filter(entry -> entry.path("version").asText().equals(chart.version())).findFirst();
      if (exact.isPresent()) {
        return exact.get();
      }
    }
    throw new HelmException("chart " + chart.name() + " version " + chart.version() + " not found in repository "
        + chart.repositoryUrl() + "; it has versions " + available);
  }

  private Path fetch(URI archiveUri, Path target, ChartReference chart, String digest) throws HelmException {
    try {
      Files.createDirectories(target.getParent());
      Path partial = Files.createTempFile(target.getParent(), chart.name(), ".part");
      HttpResponse<Path> response = http.send(
          HttpRequest.newBuilder(archiveUri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofFile(partial));
      if (response.statusCode() != 200) {
        Files.deleteIfExists(partial);
        throw new HelmException("failed to fetch " + archiveUri + ": HTTP " + response.statusCode());
      }
      // Repositories written by `helm repo index` list a digest; older or hand-written ones may not.
      if (!digest.isEmpty()) {
        String actual = Hashing.sha256().hashBytes(Files.readAllBytes(partial)).toString();
        if (!actual.equalsIgnoreCase(digest)) {
          Files.deleteIfExists(partial);
          throw new HelmException("chart archive " + archiveUri + " has SHA-256 " + actual + " but index.yaml of "
              + chart.repositoryUrl() + " lists digest " + digest + "; the repository changed the archive without "
              + "reindexing, or something altered it in transit");
        }
      }
      return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new HelmException("failed to fetch " + archiveUri + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmException("interrupted while fetching " + archiveUri, e);
    }
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> entries = new ArrayList<>();
    array.forEach(entries::add);
    return entries.stream();
  }

  /** Compares the numeric major, minor and patch parts of two versions. */
  static int compareVersions(String left, String right) {
    String[] a = left.split("[.+-]");
    String[] b = right.split("[.+-]");
    for (int i = 0; i < 3; i++) {
      int x = i < a.length ? parseOrZero(a[i]) : 0;
      int y = i < b.length ? parseOrZero(b[i]) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  private static int parseOrZero(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Names the failure even when the exception has no message, as a refused connection has none. */
  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
