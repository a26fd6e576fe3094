package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.InMemoryBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.proto.identity.ClusterName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterTokenCreateTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
  private final CertificateAuthority authority = CertificateAuthority.generate("hub-ca", Duration.ofDays(1), clock);
  private final InMemoryBootstrapTokenStore store = new InMemoryBootstrapTokenStore();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine =
        ClusterCommand.tokenCreateCommandLine(
            (connection, caCertificate) -> new ClusterCommand.TokenCreateCommand.Hub(store, authority.certificatePem()),
            clock);
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void createsTokenBoundToClusterAndPrintsPin() throws Exception {
    int exit = run("--cluster", "gpu-east", "--ttl", "1h30m", "--hub-address", "127.0.0.1:7443", "-o", "json");

    JsonNode printed = new ObjectMapper().readTree(out.toString());
    BootstrapToken token = BootstrapToken.parse(printed.get("token").asText());
    StoredToken stored = store.find(token.id()).orElseThrow();
    assertThat(exit).isZero();
    assertThat(printed.get("caHash").asText()).isEqualTo(authority.pin().value());
    assertThat(printed.get("hubAddress").asText()).isEqualTo("127.0.0.1:7443");
    assertThat(stored.cluster()).isEqualTo(new ClusterName("gpu-east"));
    assertThat(stored.expiresAt()).isEqualTo(Instant.parse("2026-12-04T11:30:00Z"));
    assertThat(stored.secretHash()).isEqualTo(token.secretHash());
    assertThat(stored.usedAt()).isEmpty();
  }

  @Test
  void textOutputNamesEveryValue() {
    int exit = run("--cluster", "m1", "--hub-address", "127.0.0.1:7443");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("Token:")
        .contains("CA hash:     " + authority.pin().value())
        .contains("Hub address: 127.0.0.1:7443")
        .contains("Expires at:  2026-12-05T10:00:00Z (single use)");
  }

  @Test
  void missingKubeconfigIsNamed() {
    StringWriter errors = new StringWriter();
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setErr(new PrintWriter(errors));

    int exit = commandLine.execute("cluster", "token", "create", "--cluster", "m1", "--hub-address", "127.0.0.1:7443",
        "--kubeconfig", "/nonexistent/hub.kubeconfig");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(errors.toString()).contains("kubeconfig /nonexistent/hub.kubeconfig not found; pass --kubeconfig FILE");
  }

  @Test
  void rejectsInvalidClusterName() {
    int exit = run("--cluster", "GPU_East", "--hub-address", "127.0.0.1:7443");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("'GPU_East'").contains("DNS-1123 label");
  }

  @Test
  void rejectsUnparsableTtl() {
    int exit = run("--cluster", "m1", "--ttl", "1 day", "--hub-address", "127.0.0.1:7443");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("--ttl: '1 day'").contains("such as 30m, 24h or 1h30m");
  }

  @Test
  void parsesGoAndIsoDurations() {
    assertThat(ClusterCommand.TokenCreateCommand.parseDuration("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ClusterCommand.TokenCreateCommand.parseDuration("1h30m15s")).isEqualTo(Duration.ofSeconds(5415));
    assertThat(ClusterCommand.TokenCreateCommand.parseDuration("PT2H")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> ClusterCommand.TokenCreateCommand.parseDuration("0s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterCommand.TokenCreateCommand.parseDuration("5x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rampartCtlListsClusterCommand() {
    int exit = RampartCtl.newCommandLine().execute("cluster", "token", "create", "--help");

    assertThat(exit).isZero();
  }

  @Test
  void unknownContextIsUsageError(@TempDir Path folder) throws IOException {
    Path kubeconfig = kubeconfig(folder, 9);

    int exit = runReal("--cluster", "m1", "--hub-address", "127.0.0.1:7443", "--kubeconfig", kubeconfig.toString(),
        "--context", "nosuch");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_USAGE);
    assertThat(err.toString()).contains("--context: 'nosuch' is not a context in " + kubeconfig);
  }

  @Test
  void unreachableHubIsHubError(@TempDir Path folder) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Path kubeconfig = kubeconfig(folder, closedPort);

    int exit = runReal("--cluster", "m1", "--hub-address", "127.0.0.1:7443", "--kubeconfig", kubeconfig.toString(),
        "--context", "hub");

    assertThat(exit).isEqualTo(RampartCtl.EXIT_HUB_ERROR);
    assertThat(err.toString()).contains("cannot read the hub CA or reach the token store");
  }

  /** Runs the command as rampartctl does, against whatever apiserver the kubeconfig names. */
  private int runReal(String... args) {
    CommandLine commandLine = RampartCtl.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 3];
    full[0] = "cluster";
    full[1] = "token";
    full[2] = "create";
    System.arraycopy(args, 0, full, 3, args.length);
    return commandLine.execute(full);
  }

  private static Path kubeconfig(Path folder, int port) throws IOException {
    return Files.writeString(folder.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: hub
            cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
          - name: admin
            user: {token: "unused"}
        contexts:
          - name: hub
            context: {cluster: hub, user: admin}
        current-context: hub
        """.formatted(port));
  }
}
