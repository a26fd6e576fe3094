package com.petuum.rampart.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartRepositoryMainTest {

  private static final Path EXAMPLE_CHARTS = Path.of("..", "examples", "charts");

  @TempDir Path temp;

  private Process start(int port) throws Exception {
    List<String> command = ChartRepositoryMain.command(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"),
        EXAMPLE_CHARTS, temp.resolve("packages"), port);
    return new ProcessBuilder(command)
        .redirectOutput(temp.resolve("stdout").toFile())
        .redirectError(temp.resolve("stderr").toFile())
        .start();
  }

  @Test
  void servesUntilTerminated() throws Exception {
    int port = Ports.free();
    Process process = start(port);
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest index = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/charts/index.yaml")).build();

      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
          assertThat(http.send(index, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
      String body = http.send(index, HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body).contains("batch-executor", "serving", "uploader");
      assertThat(Files.readString(temp.resolve("stdout")))
          .contains("Serving 3 charts at http://127.0.0.1:" + port + "/charts");

      // SIGTERM runs the shutdown hook, which closes the server and lets main return.
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Nothing accepts connections any more. Binding the port may still fail for a while,
      // because the server's closed connections sit in TIME_WAIT.
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(ConnectException.class);
      assertThat(Ports.inUseByListener(port)).isFalse();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void restartsOnPortJustReleased() throws Exception {
    int port = Ports.free();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest index = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/charts/index.yaml")).build();
    for (int run = 1; run <= 2; run++) {
      Process process = start(port);
      try {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
            assertThat(http.send(index, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));

        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("run %s ended", run).isTrue();
      } finally {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void portInUseExitsWithMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Process process = start(taken.getLocalPort());
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(ChartRepositoryMain.EXIT_FAILED);
        String stderr = Files.readString(temp.resolve("stderr"), StandardCharsets.UTF_8);
        assertThat(stderr).contains("Cannot bind the chart repository to 127.0.0.1:" + taken.getLocalPort());
        assertThat(stderr).contains("choose another port");
      } finally {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void argumentsDefaultToLoopbackAndPort8879() {
    ChartRepositoryMain.Arguments arguments = ChartRepositoryMain.Arguments.parse(
        List.of("--charts", EXAMPLE_CHARTS.toString(), "--packages", temp.toString()));

    assertThat(arguments.host()).isEqualTo("127.0.0.1");
    assertThat(arguments.port()).isEqualTo(8879);
  }

  @Test
  void argumentsRejectBadValues() {
    String charts = EXAMPLE_CHARTS.toString();
    String packages = temp.toString();

    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(
        List.of("--charts", charts, "--packages", packages, "--port", "70000")))
        .hasMessage("--port 70000 is out of range (expected: 1-65535)");
    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(
        List.of("--charts", charts, "--packages", packages, "--port", "http")))
        .hasMessage("--port http is not a number (expected: 1-65535)");
    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(List.of("--charts", charts)))
        .hasMessage("--charts and --packages are required");
    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(List.of("--charts")))
        .hasMessage("option --charts is missing its value");
    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(
        List.of("--charts", temp.resolve("missing").toString(), "--packages", packages)))
        .hasMessageContaining("is not a folder");
    assertThatThrownBy(() -> ChartRepositoryMain.Arguments.parse(List.of("--chart", charts)))
        .hasMessage("unknown option --chart");
  }
}
