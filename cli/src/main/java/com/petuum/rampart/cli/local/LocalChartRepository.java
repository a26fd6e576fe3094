package com.petuum.rampart.cli.local;

import com.petuum.rampart.testbed.ChartRepositoryMain;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the example charts' Helm repository as a process of the local federation, so that it
 * outlives {@code rampartctl local up}, is listed by {@code local status} and is stopped by
 * {@code local down}.
 */
final class LocalChartRepository {

  static final String PROCESS_NAME = "chart-repository";

  /** File in the federation's folder that records the repository URL for {@code local status}. */
  static final String URL_FILE = "chart-repository-url";

  /** Upper bound for packaging the charts and binding the port, which takes about a second for the example charts. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private LocalChartRepository() {}

  /** Returns the repository URL that the example graphs use for {@code port}. */
  static String url(int port) {
    return "http://127.0.0.1:" + port + "/charts";
  }

  /**
   * Starts the repository on 127.0.0.1:{@code port} serving {@code chartsFolder}, and waits until
   * its {@code index.yaml} is served.
   *
   * @throws IllegalStateException when the process exits or is not serving within a minute,
   *     with the end of its log
   */
  static String start(TestBed bed, String classPath, Path chartsFolder, int port) {
    ManagedProcess process = bed.startProcess(PROCESS_NAME, ChartRepositoryMain.command(
        java(), classPath, chartsFolder, bed.directory().resolve("charts"), port), Map.of());
    String url = url(port);
    // local status reads the URL back from this file.
    bed.writeFile(URL_FILE, url + "\n");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest index = HttpRequest.newBuilder(URI.create(url + "/index.yaml")).timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The chart repository exited before serving " + url + ". Last lines of "
            + process.logFile() + ":\n" + process.logTail(20));
      }
      if (isServing(http, index)) {
        return url;
      }
      pause();
    }
    throw new IllegalStateException("Timed out after " + READY_TIMEOUT.toSeconds() + " s waiting for the chart "
        + "repository at " + url + ". Last lines of " + process.logFile() + ":\n" + process.logTail(20));
  }

  /** Returns the URL recorded by {@link #start} in {@code directory}, if any. */
  static Optional<String> recordedUrl(Path directory) {
    Path file = directory.resolve(URL_FILE);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file).strip())
          : Optional.empty();
    } catch (IOException e) {
      // An unreadable record only hides the URL in local status; the process list stays.
      return Optional.empty();
    }
  }

  private static boolean isServing(HttpClient http, HttpRequest index) {
    try {
      return http.send(index, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      // Not listening yet; the caller polls again.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the chart repository", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the chart repository", e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
