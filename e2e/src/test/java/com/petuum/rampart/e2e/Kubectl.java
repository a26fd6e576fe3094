package com.petuum.rampart.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the installed {@code kubectl} against one kubeconfig, as a user of the local federation does. */
final class Kubectl {

  /** The outcome of one run. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** Runs kubectl with {@code arguments} and the given standard input; waits up to 5 minutes. */
  Result run(String stdin, String... arguments) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    try {
      Path input = Files.createTempFile("kubectl", ".in");
      Path output = Files.createTempFile("kubectl", ".out");
      Path errors = Files.createTempFile("kubectl", ".err");
      try {
        Files.writeString(input, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command)
            .redirectInput(input.toFile())
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException("kubectl " + String.join(" ", arguments) + " ran over 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(output), Files.readString(errors));
      } finally {
        Files.deleteIfExists(input);
        Files.deleteIfExists(output);
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs kubectl and returns its standard output; fails with its standard error when it exits non-zero. */
  String ok(String... arguments) {
    Result result = run(null, arguments);
    if (!result.succeeded()) {
      throw new AssertionError("kubectl " + String.join(" ", arguments) + " exited " + result.exitCode() + ": "
          + result.stderr());
    }
    return result.stdout();
  }

  /** Applies YAML to a context; fails with kubectl's error when it is rejected. */
  void apply(String context, String yaml) {
    Result result = run(yaml, "--context", context, "apply", "-f", "-");
    if (!result.succeeded()) {
      throw new AssertionError("kubectl apply on " + context + " failed: " + result.stderr());
    }
  }
}
