package com.petuum.rampart.testbed;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The folder of Go-built binaries the test bed runs: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok, built by {@code testbed/bin-build/build.sh}.
 */
public record TestBinaries(Path directory) {

  /** System property naming the folder; Maven passes it to every test JVM. */
  public static final String PROPERTY = "rampart.testbed.bin";
  /** Environment variable naming the folder, read when the property is empty. */
  public static final String ENVIRONMENT = "RAMPART_TESTBED_BIN";

  static final List<String> REQUIRED =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

  public TestBinaries {
    requireNonNull(directory, "directory");
    for (String binary : REQUIRED) {
      if (!Files.isExecutable(directory.resolve(binary))) {
        throw new IllegalStateException(
            "Test-bed binary " + directory.resolve(binary) + " is missing or not executable. "
                + "Build the binaries with testbed/bin-build/build.sh and pass the folder it prints "
                + "as -D" + PROPERTY + "=FOLDER or in " + ENVIRONMENT + ".");
      }
    }
  }

  /**
   * Returns the binaries named by the {@value #PROPERTY} property or the {@value #ENVIRONMENT}
   * variable.
   *
   * @throws IllegalStateException naming the fix when neither is set or a binary is missing
   */
  public static TestBinaries locate() {
    String folder = System.getProperty(PROPERTY, "");
    if (folder.isBlank()) {
      folder = System.getenv().getOrDefault(ENVIRONMENT, "");
    }
    if (folder.isBlank()) {
      throw new IllegalStateException(
          "The test-bed binaries are not configured. Run testbed/bin-build/build.sh, then pass the "
              + "folder it prints as -D" + PROPERTY + "=FOLDER (Maven) or " + ENVIRONMENT + "=FOLDER.");
    }
    return new TestBinaries(Path.of(folder));
  }

  public Path path(String binary) {
    return directory.resolve(binary);
  }
}
