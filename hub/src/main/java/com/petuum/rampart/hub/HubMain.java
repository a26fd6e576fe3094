package com.petuum.rampart.hub;

import com.petuum.rampart.admission.server.WebhookSettings;
import com.petuum.rampart.common.logging.LoggingOptions;
import com.petuum.rampart.hub.process.HubOptions;
import com.petuum.rampart.hub.process.HubProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Entry point of a hub replica process. */
@Command(
    name = "rampart-hub",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one replica of the Rampart Federation hub: the endpoint that member-cluster agents join "
          + "and connect to, with leader election through ZooKeeper.",
      "Exit codes: 0 after a clean stop, 1 when it cannot start (the reason is logged), 2 bad usage."
    })
public final class HubMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  LoggingOptions logging;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the hub apiserver (default: the in-cluster service account).")
  Path kubeconfig;

  @Option(names = "--namespace", defaultValue = "rampart-system",
      description = "Namespace of the hub's CA and bootstrap-token Secrets (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--listen-host", defaultValue = "0.0.0.0",
      description = "Address the agent endpoint binds (default: ${DEFAULT-VALUE}).")
  String listenHost;

  @Option(names = "--port", defaultValue = "7443", description = "Port of the agent endpoint (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--advertise-address", paramLabel = "HOST:PORT",
      description = "Address agents dial, written into the serving certificate (default: 127.0.0.1:PORT).")
  String advertiseAddress;

  @Option(names = "--zookeeper", paramLabel = "CONNECT",
      description = "ZooKeeper connect string such as zk-0:2181,zk-1:2181; without it this replica always leads, "
          + "so run only one.")
  String zooKeeper;

  @Option(names = "--zookeeper-path", defaultValue = "/rampart/hub",
      description = "ZooKeeper folder of the election and fencing epoch (default: ${DEFAULT-VALUE}).")
  String zooKeeperPath;

  @Option(names = "--webhook-port", defaultValue = "9443",
      description = "Port of the admission webhook server (validation and conversion of graphs and policies); "
          + "0 runs no webhooks (default: ${DEFAULT-VALUE}).")
  int webhookPort;

  @Option(names = "--webhook-host", defaultValue = "0.0.0.0",
      description = "Address the webhook server binds (default: ${DEFAULT-VALUE}); with a wildcard address, give "
          + "--webhook-url or --webhook-service too.")
  String webhookHost;

  @Option(names = "--webhook-url", paramLabel = "URL",
      description = "HTTPS base URL at which the hub apiserver calls the webhooks, for a hub outside the cluster, "
          + "such as https://127.0.0.1:9443 (default: the server's own address on --listen-host).")
  String webhookUrl;

  @Option(names = "--webhook-service", paramLabel = "NAMESPACE/NAME:PORT",
      description = "Service in front of the webhooks, for a hub in a pod, such as rampart-system/rampart-hub:443.")
  String webhookService;

  @Option(names = "--zookeeper-session-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "ZooKeeper session timeout in seconds: how long a cut-off leader keeps its term, and so about "
          + "how long a takeover takes (default: ${DEFAULT-VALUE}; ZooKeeper bounds it to 2 to 20 ticks).")
  int zooKeeperSessionTimeoutSeconds;

  @Option(names = "--metrics-port", defaultValue = "9090",
      description = "Port of the plain-HTTP /metrics (Prometheus), /healthz and /readyz endpoints on --listen-host; "
          + "0 serves none (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new HubMain());
    commandLine.getCommandSpec().exitCodeOnInvalidInput(2);
    commandLine.getCommandSpec().exitCodeOnExecutionException(1);
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    logging.apply(Map.of());
    if (zooKeeperSessionTimeoutSeconds < 1 || zooKeeperSessionTimeoutSeconds > 600) {
      throw new ParameterException(spec.commandLine(), "--zookeeper-session-timeout: " + zooKeeperSessionTimeoutSeconds
          + " (expected: 1 to 600 seconds)");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new ParameterException(spec.commandLine(),
          "--metrics-port: " + metricsPort + " (expected: 0 to serve no metrics, or 1 to 65535)");
    }
    WebhookSettings webhooks;
    try {
      webhooks = WebhookSettings.fromOptions(webhookPort, webhookHost, blankToNull(webhookUrl), blankToNull(webhookService));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    HubOptions options = new HubOptions(
        Optional.ofNullable(kubeconfig), namespace, listenHost, port,
        advertiseAddress != null ? advertiseAddress : "127.0.0.1:" + port,
        Optional.ofNullable(zooKeeper).filter(text -> !text.isBlank()), zooKeeperPath, webhooks,
        Duration.ofSeconds(zooKeeperSessionTimeoutSeconds), metricsPort);
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable process = HubProcesses.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        process.close();
      } catch (Exception e) {
        // The JVM is exiting; the logger may already be gone, so standard error is the last resort.
        e.printStackTrace();
      } finally {
        stopped.countDown();
      }
    }, "hub-shutdown"));
    stopped.await();
    return 0;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
