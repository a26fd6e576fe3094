package com.petuum.rampart.e2e.docs;

import com.petuum.rampart.e2e.docs.DocumentedCommands.Command;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs commands exactly as the docs show them, through {@code bash -c}, in a working folder that
 * looks like a checkout of this repository to them.
 *
 * <p>Each run names the doc and the command as the doc has it; a command the doc no longer
 * contains fails at once. Placeholders such as {@code hub.example.com:7443} are replaced with
 * the values of this run before the command starts. {@code export NAME=VALUE} commands set
 * {@code NAME} for every later command, as they would in a shell session.
 */
final class DocShell {

  private static final long TIMEOUT_SECONDS = 360;
  private static final Pattern EXPORT = Pattern.compile("export ([A-Za-z_][A-Za-z0-9_]*)=.*");

  /** The outcome of one command. */
  record Result(String command, int exitCode, String stdout, String stderr) {
    /** Standard output and standard error together, for output checks. */
    String output() {
      return stdout + stderr;
    }

    String describe() {
      return "`" + command + "` exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private final List<Command> documented;
  private final Path workingFolder;
  private final Map<String, String> environment;
  private final Map<String, String> placeholders = new LinkedHashMap<>();
  private final Set<Command> ran = new LinkedHashSet<>();

  DocShell(List<Command> documented, Path workingFolder, Map<String, String> environment) {
    this.documented = documented;
    this.workingFolder = workingFolder;
    this.environment = new HashMap<>(environment);
  }

  /** Replaces {@code placeholder} with {@code value} in every later command. */
  void substitute(String placeholder, String value) {
    placeholders.put(placeholder, value);
  }

  /** Returns the documented commands run so far. */
  Set<Command> ran() {
    return Set.copyOf(ran);
  }

  /** Runs a command of {@code file} with the session's environment. */
  Result run(String file, String command) {
    return run(file, command, Map.of());
  }

  /** Runs a command of {@code file}, with {@code overrides} added to the session's environment. */
  Result run(String file, String command, Map<String, String> overrides) {
    Command found = find(file, command);
    String text = found.command();
    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
      text = text.replace(placeholder.getKey(), placeholder.getValue());
    }
    Map<String, String> runEnvironment = new HashMap<>(environment);
    runEnvironment.putAll(overrides);
    Matcher export = EXPORT.matcher(text);
    Result result;
    if (export.matches()) {
      // A child shell cannot change this one's environment, so it prints the value it set.
      result = bash(text + " && printenv " + export.group(1), runEnvironment);
      if (result.exitCode() == 0) {
        environment.put(export.group(1), result.stdout().strip());
      }
    } else {
      result = bash(text, runEnvironment);
    }
    ran.add(found);
    return new Result(text, result.exitCode(), result.stdout(), result.stderr());
  }

  /** Returns the command as {@code file} shows it, or fails when the file does not contain it. */
  Command find(String file, String command) {
    // Callers may copy a command with its line continuations, as the doc shows it.
    String normalized = DocumentedCommands.normalize(command.replace("\\\n", " "));
    return documented.stream()
        .filter(c -> c.file().equals(file) && c.command().equals(normalized))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " does not contain the command `" + normalized + "` any more. "
            + "Update DocumentedCommandsTest to run the command the doc shows now."));
  }

  private Result bash(String command, Map<String, String> runEnvironment) {
    try {
      Path stdout = Files.createTempFile(workingFolder.getParent(), "command", ".out");
      Path stderr = Files.createTempFile(workingFolder.getParent(), "command", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
            .directory(workingFolder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(runEnvironment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor();
          throw new AssertionError("`" + command + "` ran over " + TIMEOUT_SECONDS + " s. Output so far:\n"
              + Files.readString(stdout) + Files.readString(stderr));
        }
        return new Result(command, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run bash -c " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }
}
