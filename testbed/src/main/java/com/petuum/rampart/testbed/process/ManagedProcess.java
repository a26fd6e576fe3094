package com.petuum.rampart.testbed.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operating-system process started by the test bed, with its output in a log file and its
 * identity recorded in a {@link ProcessLedger} so that a later run can end it if this JVM dies.
 *
 * <p>Thread-safe. {@link #stop} is idempotent.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

  /** How long a process gets to exit after SIGTERM before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final ProcessLedger ledger;

  private ManagedProcess(String name, Process process, Path logFile, ProcessLedger ledger) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.ledger = ledger;
  }

  /**
   * Starts {@code command} with standard output and error appended to {@code logFile}, and
   * records it in {@code ledger}.
   *
   * @throws UncheckedIOException when the executable cannot be started
   */
  public static ManagedProcess start(
      String name, List<String> command, Map<String, String> environment, Path logFile, ProcessLedger ledger) {
    requireNonNull(name, "name");
    requireNonNull(ledger, "ledger");
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = builder.start();
      ledger.record(name, process.toHandle());
      log.debug("Started process. name={} pid={} log={}", name, process.pid(), logFile);
      return new ManagedProcess(name, process, logFile, ledger);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Failed to start " + name + " with " + command.get(0) + "; see " + logFile, e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Returns the last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    return LogFiles.tail(logFile, lines);
  }

  /** Sends SIGSTOP, freezing the process without ending it; used by failure tests. */
  public void freeze() {
    signal("STOP");
  }

  /** Sends SIGCONT to a frozen process. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed for " + name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling " + name, e);
    }
  }

  /** Ends the process: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. */
  public void stop() {
    if (process.isAlive()) {
      thawQuietly();
      process.destroy();
      try {
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("Process ignored SIGTERM; killing it. name={} pid={}", name, process.pid());
          process.destroyForcibly();
          process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    ledger.forget(name);
  }

  /** Sends SIGCONT, because a frozen process cannot handle SIGTERM. */
  private void thawQuietly() {
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.debug("Could not send SIGCONT. name={} pid={}", name, process.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
