package com.petuum.rampart.agent;

import com.petuum.rampart.admission.server.WebhookSettings;
import com.petuum.rampart.agent.process.AgentOptions;
import com.petuum.rampart.agent.process.AgentProcesses;
import com.petuum.rampart.common.logging.LoggingOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of the agent process that runs on each member cluster. */
@Command(
    name = "rampart-agent",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Rampart Federation agent of one member cluster: joins the hub, connects out to it, "
          + "reports the cluster's capacity, writes the work the hub sends as local RampartGraphs, deploys them and "
          + "reports their status, and serves the member's admission webhooks.",
      "Exit codes: 0 after a clean stop, 1 when it cannot start (the reason is logged), 2 bad usage."
    })
public final class AgentMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  LoggingOptions logging;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the member apiserver (default: the in-cluster service account).")
  Path kubeconfig;

  @Option(names = "--cluster-name", required = true, description = "This member cluster's name on the hub.")
  String clusterName;

  @Option(names = "--hub-address", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The hub's agent endpoint: a Service in front of the replicas, or each replica's address "
          + "separated by commas. The first one is used to join; a failed connection tries the next.")
  String hubAddress;

  @Option(names = "--ca-hash", required = true, paramLabel = "sha256:HEX",
      description = "Hash of the hub CA as 'rampartctl cluster token create' prints it; the agent trusts only that CA.")
  String caHash;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File with the bootstrap token; needed only for the first join. The token is not logged.")
  Path tokenFile;

  @Option(names = "--namespace", defaultValue = "rampart-system",
      description = "Namespace on the member for the agent's credentials Secret (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--work-folder", paramLabel = "FOLDER",
      description = "Where chart archives and values files are kept (default: a folder named after the cluster in "
          + "the system temporary folder).")
  Path workFolder;

  @Option(names = "--capability", paramLabel = "NAME",
      description = "Infrastructure this member offers to graphs, such as pulsar; repeat for several.")
  List<String> capabilities = List.of();

  @Option(names = "--webhook-port", paramLabel = "PORT", defaultValue = "" + WebhookSettings.DEFAULT_PORT,
      description = "TCP port of the agent's admission webhook server, which validates local graphs and wires flows "
          + "into pods of component namespaces; 0 runs no webhooks (default: ${DEFAULT-VALUE}).")
  int webhookPort;

  @Option(names = "--webhook-host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address the webhook server binds to (default: ${DEFAULT-VALUE}, every interface, which needs "
          + "--webhook-url or --webhook-service).")
  String webhookHost;

  @Option(names = "--webhook-url", paramLabel = "URL",
      description = "https base URL at which the member apiserver calls the webhook server, for an agent outside "
          + "the cluster, such as https://127.0.0.1:9443. Use a DNS name or 127.0.0.1/::1, because the generated "
          + "serving certificate contains no other IP address. Default: https://ADDRESS:PORT of --webhook-host and "
          + "--webhook-port.")
  String webhookUrl;

  @Option(names = "--webhook-service", paramLabel = "NAMESPACE/NAME:PORT",
      description = "Service through which the member apiserver calls the webhook server, for an agent in a pod, "
          + "such as rampart-system/rampart-agent-webhook:443. Not together with --webhook-url.")
  String webhookService;

  @Option(names = "--metrics-port", defaultValue = "9090",
      description = "Port of the plain-HTTP /metrics (Prometheus), /healthz and /readyz endpoints, on the "
          + "--webhook-host address; 0 serves none (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new AgentMain());
    commandLine.getCommandSpec().exitCodeOnInvalidInput(2);
    commandLine.getCommandSpec().exitCodeOnExecutionException(1);
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    logging.apply(Map.of("cluster", clusterName));
    Optional<String> token = Optional.empty();
    if (tokenFile != null) {
      token = Optional.of(Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
    }
    Path folder = workFolder != null
        ? workFolder
        : Path.of(System.getProperty("java.io.tmpdir"), "rampart-agent-" + clusterName);
    WebhookSettings webhooks;
    try {
      webhooks = WebhookSettings.fromOptions(webhookPort, webhookHost, webhookUrl, webhookService);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new ParameterException(spec.commandLine(),
          "--metrics-port: " + metricsPort + " (expected: 0 to serve no metrics, or 1 to 65535)");
    }
    AgentOptions options = new AgentOptions(Optional.ofNullable(kubeconfig), clusterName, hubAddress, caHash, token,
        namespace, capabilities, folder, webhooks, metricsPort);
    AutoCloseable agent = AgentProcesses.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        agent.close();
      } catch (Exception e) {
        // The JVM is exiting; the logger may already be gone, so standard error is the last resort.
        e.printStackTrace();
      } finally {
        stopped.countDown();
      }
    }, "agent-shutdown"));
    stopped.await();
    return 0;
  }
}
