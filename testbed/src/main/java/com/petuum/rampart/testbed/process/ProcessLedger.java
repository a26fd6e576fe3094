package com.petuum.rampart.testbed.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every process the test bed starts as a file {@code <name>.pid} holding the pid and
 * the process start time, so that a later run can end what an earlier JVM left behind (after a
 * {@code kill -9} of Maven, say) without ever killing an unrelated process that reused the pid.
 *
 * <p>Thread-safe: each process has its own file.
 */
public final class ProcessLedger {

  private static final Logger log = LoggerFactory.getLogger(ProcessLedger.class);

  private final Path directory;

  public ProcessLedger(Path directory) {
    this.directory = requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the process ledger folder " + directory, e);
    }
  }

  public Path directory() {
    return directory;
  }

  void record(String name, ProcessHandle handle) {
    String started = handle.info().startInstant().map(Instant::toString).orElse("");
    try {
      Files.writeString(pidFile(name), handle.pid() + " " + started + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record process " + name + " in " + directory, e);
    }
  }

  void forget(String name) {
    try {
      Files.deleteIfExists(pidFile(name));
    } catch (IOException e) {
      log.warn("Could not remove a pid file. file={}", pidFile(name), e);
    }
  }

  /** Returns the live processes this ledger recorded, matching pid and start time. */
  public List<RecordedProcess> liveProcesses() {
    return recordedProcesses().stream().filter(RecordedProcess::isAlive).toList();
  }

  /**
   * Returns every process this ledger recorded and did not stop itself: the live ones and those
   * that exited on their own (or were killed) since.
   */
  public List<RecordedProcess> recordedProcesses() {
    List<RecordedProcess> recorded = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return recorded;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pid")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".pid".length());
        parse(file).ifPresent(process -> recorded.add(new RecordedProcess(name, process.pid(), process.startedAt())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the process ledger " + directory, e);
    }
    return recorded;
  }

  /**
   * Ends every live process recorded here (SIGTERM, then SIGKILL) and clears the ledger.
   * Returns how many processes were ended.
   */
  public int endAll() {
    return endAll(name -> false);
  }

  /**
   * Ends every live process recorded here as {@link #endAll()} does, but those whose names match
   * {@code endFirst} before the others, so that clients stop before the servers they call and
   * log no connection errors on the way out. Returns how many processes were ended.
   */
  public int endAll(Predicate<String> endFirst) {
    List<RecordedProcess> first = liveProcesses().stream().filter(process -> endFirst.test(process.name())).toList();
    end(first);
    List<RecordedProcess> rest = liveProcesses().stream().filter(process -> !first.contains(process)).toList();
    end(rest);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pid")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear the process ledger " + directory, e);
    }
    return first.size() + rest.size();
  }

  /** Sends SIGTERM to every process of {@code live}, then SIGKILL to those still there after the grace period. */
  private static void end(List<RecordedProcess> live) {
    for (RecordedProcess recorded : live) {
      recorded.handleIfSame().ifPresent(handle -> {
        log.info("Ending a recorded process. name={} pid={}", recorded.name(), handle.pid());
        handle.destroy();
      });
    }
    Instant deadline = Instant.now().plus(ManagedProcess.STOP_GRACE);
    for (RecordedProcess recorded : live) {
      recorded.handleIfSame().ifPresent(handle -> {
        long waitMillis = Math.max(0, deadline.toEpochMilli() - System.currentTimeMillis());
        try {
          handle.onExit().get(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          killAndWait(handle);
        } catch (InterruptedException e) {
          handle.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  private static void killAndWait(ProcessHandle handle) {
    log.info("Process did not exit within the grace period after SIGTERM; sending SIGKILL. pid={}", handle.pid());
    handle.destroyForcibly();
    try {
      handle.onExit().get(ManagedProcess.STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      log.warn("Process still present after SIGKILL. pid={}", handle.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path pidFile(String name) {
    return directory.resolve(name + ".pid");
  }

  private static Optional<RecordedProcess> parse(Path file) {
    try {
      String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ", 2);
      long pid = Long.parseLong(parts[0]);
      return Optional.of(new RecordedProcess(file.getFileName().toString(), pid, parts.length > 1 ? parts[1] : ""));
    } catch (IOException | NumberFormatException e) {
      log.warn("Ignoring an unreadable pid file. file={}", file, e);
      return Optional.empty();
    }
  }

  /** A process as the ledger recorded it: its name, pid and start time (ISO-8601, may be empty). */
  public record RecordedProcess(String name, long pid, String startedAt) {

    /** Returns whether the recorded process still runs: its pid is alive and started at the recorded instant. */
    public boolean isAlive() {
      return handleIfSame().isPresent();
    }

    /**
     * Returns the live process with this pid, only when it started at the recorded instant. A
     * record without a start time matches nothing, because the pid alone may have been reused.
     */
    Optional<ProcessHandle> handleIfSame() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(handle -> !startedAt.isEmpty()
              && handle.info().startInstant().map(Instant::toString).map(startedAt::equals).orElse(false));
    }
  }
}
