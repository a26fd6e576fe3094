package com.petuum.rampart.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark scripts that docs/benchmarks.md shows, at sizes that take seconds, so that a
 * script or a flag the page names cannot break unnoticed. Runs in the integration-test phase,
 * after the jar the scripts start exists, so they do not start a build of their own.
 */
class BenchScriptsIT {

  private static final Path ROOT = Path.of(System.getProperty("rampart.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void schedulerScriptPrintsThroughputAndLatency() throws Exception {
    Path output = Files.createTempFile("bench-scheduler", ".out");
    try {
      Process process = new ProcessBuilder(List.of(ROOT.resolve("bench/scheduler").toString(),
              "--clusters", "100", "--components", "5", "--graphs", "40", "--warmup", "10"))
          .directory(ROOT.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(output.toFile())
          .redirectErrorStream(true)
          .start();
      boolean finished = process.waitFor(120, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);

      assertThat(finished).as("bench/scheduler finished within 120 s; output:\n%s", printed).isTrue();
      assertThat(process.exitValue()).as(printed).isZero();
      assertThat(printed).containsPattern("(?m)^placements_per_second[ =:]\\s*[0-9.]+")
          .containsPattern("(?m)^p50_ms[ =:]\\s*[0-9.]+")
          .containsPattern("(?m)^p99_ms[ =:]\\s*[0-9.]+");
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
