package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Checks taint syntax, output formats and completion, none of which needs an apiserver. */
class ClusterTaintArgumentsTest {

  @Test
  void taintParsesKubectlSyntax() {
    assertThat(Taint.parse("gpu=reserved:NoSchedule")).isEqualTo(new Taint("gpu", "reserved", "NoSchedule"));
    assertThat(Taint.parse("example.com/maintenance:NoExecute")).isEqualTo(new Taint("example.com/maintenance", "", "NoExecute"));
    assertThat(Taint.parse("gpu=reserved:NoSchedule").toString()).isEqualTo("gpu=reserved:NoSchedule");
  }

  @Test
  void taintRejectsBadEffectAndKey() {
    assertThatThrownBy(() -> Taint.parse("gpu=reserved"))
        .hasMessage("taint 'gpu=reserved' has no effect (expected: key=value:Effect or key:Effect, such as gpu=reserved:NoSchedule)");
    assertThatThrownBy(() -> Taint.parse("gpu=reserved:NoScheduling"))
        .hasMessageContaining("taint effect 'NoScheduling' of key gpu is invalid (expected: NoSchedule, PreferNoSchedule or NoExecute)");
    assertThatThrownBy(() -> Taint.parse("bad key:NoSchedule")).hasMessageContaining("taint key 'bad key' is invalid");
  }

  @Test
  void taintCommandRejectsMalformedBeforeConnecting() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setErr(new PrintWriter(err));

    // The kubeconfig does not exist: a malformed taint must be reported before it is read.
    int exit = commandLine.execute("cluster", "taint", "gpu-east", "gpu=x:Never", "--kubeconfig", "/nonexistent");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("taint effect 'Never' of key gpu is invalid");
  }

  @Test
  void listRejectsUnknownOutput() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setErr(new PrintWriter(err));

    int exit = commandLine.execute("cluster", "list", "-o", "wide");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).startsWith("error: ").contains("'wide' (expected: text, json or yaml)");
  }

  @Test
  void missingKubeconfigIsUsageError() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setErr(new PrintWriter(err));

    int exit = commandLine.execute("cluster", "list", "--kubeconfig", "/nonexistent/kubeconfig");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("kubeconfig /nonexistent/kubeconfig not found; pass --kubeconfig FILE or set KUBECONFIG");
  }

  @Test
  void completionCoversSubcommands() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));

    int exit = commandLine.execute("completion", "bash");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("complete -F _complete_rampartctl", "cordon", "uncordon", "taint", "status");
  }

  @Test
  void completionRejectsFish() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setErr(new PrintWriter(err));

    assertThat(commandLine.execute("completion", "fish")).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("SHELL: 'fish' (expected: bash or zsh)");
  }

  @Test
  void ageMatchesKubectl() {
    assertThat(ClusterListCommand.age(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(ClusterListCommand.age(Duration.ofSeconds(310))).isEqualTo("5m10s");
    assertThat(ClusterListCommand.age(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(ClusterListCommand.age(Duration.ofHours(5))).isEqualTo("5h");
    assertThat(ClusterListCommand.age(Duration.ofDays(3))).isEqualTo("3d");
  }
}
