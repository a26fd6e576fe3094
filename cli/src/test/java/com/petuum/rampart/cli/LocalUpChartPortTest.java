package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Checks of {@code local up --chart-port} that fail before anything starts, so they need no binaries. */
class LocalUpChartPortTest {

  @TempDir Path home;

  private String previousHome;

  private record Run(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void useTemporaryHome() {
    previousHome = System.getProperty("rampart.home");
    System.setProperty("rampart.home", home.toString());
  }

  @AfterEach
  void restoreHome() {
    if (previousHome == null) {
      System.clearProperty("rampart.home");
    } else {
      System.setProperty("rampart.home", previousHome);
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void chartPortInUseIsRejected() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Run run = run("local", "up", "--chart-port", Integer.toString(port));

      assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
      assertThat(run.stderr()).contains("port " + port + " on 127.0.0.1 is in use");
      assertThat(run.stderr()).contains("--chart-port PORT");
      assertThat(run.stdout()).doesNotContain("Starting the local federation");
    }
  }

  @Test
  void chartPortOutOfRangeIsRejected() {
    Run run = run("local", "up", "--chart-port", "0");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.stderr()).contains("--chart-port 0 is out of range (expected: 1-65535; default 8879)");
  }

  @Test
  void chartPortEqualToHubPortIsRejected() {
    Run run = run("local", "up", "--chart-port", "18443", "--hub-port", "18443");

    assertThat(run.exitCode()).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(run.stderr()).contains("--chart-port 18443 is also given to --hub-port or --zookeeper-port");
  }

  @Test
  void helpShowsChartPortDefault() {
    Run run = run("local", "up", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("--chart-port=PORT");
    assertThat(run.stdout()).contains("default: 8879");
  }
}
