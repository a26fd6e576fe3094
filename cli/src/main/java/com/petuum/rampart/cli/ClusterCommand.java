package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.annotations.VisibleForTesting;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.BootstrapTokenStore;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Groups the commands that manage member clusters. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Lists, cordons and taints member clusters, and manages their join tokens.",
    subcommands = {
      ClusterCommand.TokenCommand.class,
      ClusterListCommand.class,
      ClusterCordonCommand.Cordon.class,
      ClusterCordonCommand.Uncordon.class,
      ClusterTaintCommand.class
    })
final class ClusterCommand {

  /** Groups the commands for bootstrap tokens. */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Manages the single-use bootstrap tokens agents join with.",
      subcommands = {TokenCreateCommand.class})
  static final class TokenCommand {}

  /** The hub apiserver's kubeconfig options and the namespace of the token Secrets. */
  record HubConnection(HubConnectionOptions options, String namespace) {}

  /**
   * Creates a bootstrap token as a Secret on the hub apiserver and prints it with the hub CA's
   * hash, which the agent pins, and the hub address.
   */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a single-use bootstrap token for one cluster and prints the token, the hub CA hash"
            + " and the hub address that the cluster's agent needs to join.",
        "Exit codes: 0 created, 2 bad usage or the hub could not be reached."
      })
  static final class TokenCreateCommand implements Callable<Integer> {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(h|m|s)");

    @Spec CommandSpec spec;

    @Option(names = "--cluster", required = true, paramLabel = "NAME",
        description = "Name of the member cluster that may join with the token.")
    String cluster;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "24h",
        description = "How long the token stays valid, such as 30m, 24h or 1h30m (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--hub-address", required = true, paramLabel = "HOST:PORT", description = "host:port of the hub's agent endpoint, printed for the agent.")
    String hubAddress;

    @Option(
        names = "--namespace",
        paramLabel = "NAMESPACE",
        defaultValue = "rampart-system",
        description = "Hub namespace that holds the token Secrets and the CA Secret (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Mixin
    HubConnectionOptions connection;

    @Option(
        names = "--ca-cert",
        paramLabel = "FILE",
        description = "PEM file of the hub CA certificate; when absent, read from the Secret rampart-hub-ca (key ca.crt or tls.crt).")
    Path caCertificate;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String output;

    private final StoreFactory storeFactory;
    private final Clock clock;

    /** Creates the command for the real hub apiserver. */
    TokenCreateCommand() {
      this(TokenCreateCommand::apiserverStore, Clock.systemUTC());
    }

    @VisibleForTesting
    TokenCreateCommand(StoreFactory storeFactory, Clock clock) {
      this.storeFactory = storeFactory;
      this.clock = clock;
    }

    /** Opens the token store and reads the CA for a hub connection. */
    interface StoreFactory {
      Hub open(HubConnection connection, Path caCertificate)
          throws IOException, ApiException, HubConnectionOptions.InvalidKubeconfigException;
    }

    /** The token store and the CA certificate PEM of one hub. */
    record Hub(BootstrapTokenStore tokens, String caCertificatePem) {}

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      ClusterName clusterName;
      Duration lifetime;
      try {
        clusterName = new ClusterName(cluster);
        lifetime = parseDuration(ttl);
        if (!output.equals("text") && !output.equals("json")) {
          throw new IllegalArgumentException("--output: '" + output + "' (expected: text or json)");
        }
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return RampartCtl.EXIT_USAGE;
      }

      Hub hub;
      try {
        hub = storeFactory.open(new HubConnection(connection, namespace), caCertificate);
      } catch (HubConnectionOptions.InvalidKubeconfigException | IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return RampartCtl.EXIT_USAGE;
      } catch (IOException | ApiException | IllegalStateException e) {
        err.println("error: cannot read the hub CA or reach the token store: " + describe(e));
        return RampartCtl.EXIT_HUB_ERROR;
      }
      CaPin pin = CaPin.of(Pem.decodeCertificate(hub.caCertificatePem()));
      BootstrapToken token = BootstrapToken.generate(new SecureRandom());
      Instant expiresAt = clock.instant().plus(lifetime);
      try {
        hub.tokens().create(StoredToken.unused(token, clusterName, expiresAt));
      } catch (IllegalStateException e) {
        err.println("error: the token was not stored: " + describe(e));
        return RampartCtl.EXIT_HUB_ERROR;
      }

      Map<String, String> result = new LinkedHashMap<>();
      result.put("cluster", clusterName.value());
      result.put("token", token.text());
      result.put("caHash", pin.value());
      result.put("hubAddress", hubAddress);
      result.put("expiresAt", expiresAt.toString());
      PrintWriter out = spec.commandLine().getOut();
      if (output.equals("json")) {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
      } else {
        out.printf("Cluster:     %s%n", clusterName);
        out.printf("Token:       %s%n", token.text());
        out.printf("CA hash:     %s%n", pin);
        out.printf("Hub address: %s%n", hubAddress);
        out.printf("Expires at:  %s (single use)%n", expiresAt);
      }
      out.flush();
      return RampartCtl.EXIT_OK;
    }

    /**
     * Parses a duration written as Go and kubectl write them ({@code 90m}, {@code 1h30m},
     * {@code 45s}) or as ISO-8601 ({@code PT24H}).
     */
    static Duration parseDuration(String text) {
      String trimmed = text == null ? "" : text.trim();
      Duration duration = Duration.ZERO;
      if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
        try {
          duration = Duration.parse(trimmed);
        } catch (java.time.format.DateTimeParseException e) {
          duration = Duration.ZERO;
        }
      } else {
        Matcher matcher = GO_DURATION.matcher(trimmed);
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
          long amount = Long.parseLong(matcher.group(1));
          duration = duration.plus(switch (matcher.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
          });
          end = matcher.end();
        }
        if (end != trimmed.length()) {
          duration = Duration.ZERO;
        }
      }
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException(
            "--ttl: '" + text + "' (expected: a positive duration such as 30m, 24h or 1h30m)");
      }
      return duration;
    }

    private static Hub apiserverStore(HubConnection connection, Path caCertificate)
        throws IOException, ApiException, HubConnectionOptions.InvalidKubeconfigException {
      ApiClient client = connection.options().connect().client();
      String caPem;
      if (caCertificate != null) {
        caPem = Files.readString(caCertificate);
      } else {
        V1Secret secret;
        try {
          secret = new CoreV1Api(client).readNamespacedSecret("rampart-hub-ca", connection.namespace()).execute();
        } catch (ApiException e) {
          if (e.getCode() == 404) {
            throw new IllegalStateException("Secret " + connection.namespace() + "/rampart-hub-ca was not found on the hub"
                + " apiserver. The hub creates it when it first starts: start the hub (or check --namespace), or pass"
                + " --ca-cert FILE.", e);
          }
          throw e;
        }
        byte[] pem = secret.getData() == null ? null : secret.getData().getOrDefault("ca.crt", secret.getData().get("tls.crt"));
        if (pem == null) {
          throw new IllegalStateException(
              "Secret " + connection.namespace() + "/rampart-hub-ca has no ca.crt or tls.crt; pass --ca-cert FILE");
        }
        caPem = new String(pem, StandardCharsets.UTF_8);
      }
      return new Hub(new SecretBootstrapTokenStore(client, connection.namespace()), caPem);
    }

    private static String describe(Exception e) {
      if (e instanceof ApiException api) {
        return "HTTP " + api.getCode() + " " + (api.getResponseBody() == null ? api.getMessage() : api.getResponseBody());
      }
      return e.getMessage();
    }
  }

  private ClusterCommand() {}

  /** Returns a command line for {@code cluster token create} with the given seams, for tests. */
  @VisibleForTesting
  static CommandLine tokenCreateCommandLine(TokenCreateCommand.StoreFactory factory, Clock clock) {
    return new CommandLine(new TokenCreateCommand(factory, clock));
  }
}
