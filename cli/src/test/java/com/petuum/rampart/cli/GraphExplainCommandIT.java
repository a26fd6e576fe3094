package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@code bin/rampartctl} as a user would, after the jar has been packaged. */
class GraphExplainCommandIT {

  @Test
  void binScriptExplainsCompetingGraphs() throws Exception {
    Path root = Path.of(System.getProperty("rampart.repo.root"));
    ProcessBuilder builder = new ProcessBuilder(
        root.resolve("bin/rampartctl").toString(), "graph", "explain",
        "--inventory", root.resolve("examples/inventory/heterogeneous.yaml").toString(),
        root.resolve("examples/placement/competing.yaml").toString());
    builder.redirectErrorStream(true);
    builder.environment().put("RAMPARTCTL_JAVA_OPTS", "-Xmx256m");

    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);

      assertThat(exited).as("rampartctl exited within 60 s").isTrue();
      assertThat(process.exitValue()).as(output).isEqualTo(RampartCtl.EXIT_UNSCHEDULABLE);
      assertThat(output).contains("team-ml/sweep-1: placed");
      assertThat(output).contains("team-ml/sweep-2: unschedulable");
      assertThat(output).contains("1 cluster(s) had untolerated taint gpu=reserved:NoSchedule");
    } finally {
      process.destroyForcibly();
    }
  }
}
