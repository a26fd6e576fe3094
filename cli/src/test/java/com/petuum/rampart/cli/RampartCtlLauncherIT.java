package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/rampartctl} as a user would, over the packaged jar. Runs in the integration-test
 * phase, after the jar and its libraries exist, so the launcher does not start a build of its own.
 */
class RampartCtlLauncherIT {

  private static final Path ROOT = Path.of(System.getProperty("rampart.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void launcherValidatesExamples() throws Exception {
    Process process = new ProcessBuilder(
            ROOT.resolve("bin/rampartctl").toString(), "graph", "validate", "-o", "json",
            "examples/graphs/valid/trainer-v1.yaml", "examples/graphs/invalid/negative-request.yaml")
        .directory(ROOT.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean finished = process.waitFor(60, TimeUnit.SECONDS);

      assertThat(finished).isTrue();
      assertThat(process.exitValue()).isEqualTo(RampartCtl.EXIT_INVALID);
      JsonNode json = new ObjectMapper().readTree(output);
      assertThat(json.path("results").findValuesAsText("valid")).containsExactly("true", "false");
      assertThat(json.path("results").get(1).path("errors").get(0).path("field").asText())
          .isEqualTo("spec.graph.components.trainer.resources[0].requests.memory");
    } finally {
      process.destroyForcibly();
      closeQuietly(process);
    }
  }

  @Test
  void kubectlRunsRampartPlugin() throws Exception {
    // kubectl finds plugins on PATH by their kubectl- prefix.
    ProcessBuilder builder = new ProcessBuilder("kubectl", "rampart", "cluster", "--help")
        .directory(ROOT.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PATH", ROOT.resolve("bin") + ":" + System.getenv("PATH"));
    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean finished = process.waitFor(60, TimeUnit.SECONDS);

      assertThat(finished).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(output).contains("Usage: kubectl rampart cluster");
      assertThat(output).contains("cordon", "uncordon", "taint", "list");
    } finally {
      process.destroyForcibly();
      closeQuietly(process);
    }
  }

  private static void closeQuietly(Process process) throws IOException {
    process.getInputStream().close();
    process.getOutputStream().close();
  }
}
