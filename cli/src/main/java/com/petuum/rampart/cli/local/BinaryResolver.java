package com.petuum.rampart.cli.local;

import com.petuum.rampart.testbed.TestBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the test-bed binaries: a folder given on the command line, else the
 * {@value TestBinaries#PROPERTY} property or {@value TestBinaries#ENVIRONMENT} variable, else the
 * folder that {@code testbed/bin-build/build.sh} of this checkout builds or finds in its cache.
 */
final class BinaryResolver {

  /** Thrown when the binaries cannot be had; the message is for the user as it is. */
  static final class UnavailableException extends Exception {
    UnavailableException(String message) {
      super(message);
    }
  }

  private BinaryResolver() {}

  static TestBinaries resolve(Path explicit) throws UnavailableException {
    if (explicit != null) {
      for (String binary : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")) {
        if (!Files.isExecutable(explicit.resolve(binary))) {
          throw new UnavailableException("--binaries " + explicit + ": " + explicit.resolve(binary)
              + " is missing or not executable (expected: the folder that testbed/bin-build/build.sh prints).");
        }
      }
      return check(explicit);
    }
    String configured = System.getProperty(TestBinaries.PROPERTY, "");
    if (configured.isBlank()) {
      configured = System.getenv().getOrDefault(TestBinaries.ENVIRONMENT, "");
    }
    if (!configured.isBlank()) {
      return check(Path.of(configured));
    }
    return check(build());
  }

  private static TestBinaries check(Path folder) throws UnavailableException {
    try {
      return new TestBinaries(folder);
    } catch (IllegalStateException e) {
      throw new UnavailableException(e.getMessage());
    }
  }

  /** Runs the build script, passing its progress to standard error, and returns its output. */
  private static Path build() throws UnavailableException {
    String root = System.getProperty("rampart.repo.root", "");
    Path script = Path.of(root.isBlank() ? "." : root, "testbed", "bin-build", "build.sh");
    if (!Files.isExecutable(script)) {
      throw new UnavailableException("Cannot find the test-bed build script " + script.toAbsolutePath()
          + ". Run rampartctl from a checkout (bin/rampartctl) or pass --binaries FOLDER.");
    }
    try {
      Process process = new ProcessBuilder(List.of(script.toString()))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new UnavailableException("Building the test-bed binaries failed (" + script + " exited with "
            + exit + "); its error is above.");
      }
      List<String> lines = output.lines().toList();
      return Path.of(lines.get(lines.size() - 1));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("Interrupted while building the test-bed binaries");
    }
  }
}
