package com.petuum.rampart.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/rampartctl} of this checkout as a user would, in a separate process. */
final class CliProcess {

  /** The outcome of one run. */
  record Result(int exitCode, String stdout, String stderr) {}

  private CliProcess() {}

  static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root", "");
    Path path = Path.of(root.isBlank() ? ".." : root).toAbsolutePath().normalize();
    if (!Files.isExecutable(path.resolve("bin/rampartctl"))) {
      throw new IllegalStateException("bin/rampartctl not found under " + path + "; run the tests with Maven from the repository root");
    }
    return path;
  }

  static Result run(Map<String, String> environment, long timeoutSeconds, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(repositoryRoot().resolve("bin/rampartctl").toString());
    command.addAll(List.of(arguments));
    try {
      Path stdout = Files.createTempFile("rampartctl", ".out");
      Path stderr = Files.createTempFile("rampartctl", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("rampartctl " + String.join(" ", arguments) + " ran over " + timeoutSeconds
            + " s; stderr so far:\n" + Files.readString(stderr));
      }
      Result result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
