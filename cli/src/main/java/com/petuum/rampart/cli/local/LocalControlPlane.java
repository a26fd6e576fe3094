package com.petuum.rampart.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.common.logging.LogFormat;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.pki.SecretCertificateAuthorityStore;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs the federation's own processes on a started test bed: installs the CRDs, starts the hub
 * replicas, and starts an agent per member that joins with a fresh single-use token and is given
 * every replica's address.
 */
final class LocalControlPlane {

  static final String HUB_NAMESPACE = "rampart-system";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final TestBed bed;
  private final Path repositoryRoot;
  private final String classPath;
  private final String zooKeeper;
  private final int hubReplicas;
  private final int sessionTimeoutSeconds;
  private final LogFormat logFormat;

  LocalControlPlane(TestBed bed, Path repositoryRoot, String classPath, String zooKeeper, int hubReplicas,
      int sessionTimeoutSeconds, LogFormat logFormat) {
    this.logFormat = logFormat;
    this.hubReplicas = hubReplicas;
    this.sessionTimeoutSeconds = sessionTimeoutSeconds;
    this.bed = bed;
    this.repositoryRoot = repositoryRoot;
    this.classPath = classPath;
    this.zooKeeper = zooKeeper;
  }

  /** The hub replicas' agent endpoints, separated by commas, once started. */
  record Started(String hubAddress, List<String> members) {}

  /**
   * Installs the CRDs, starts the hub and the agents, and waits until every member cluster is
   * Ready on the hub.
   *
   * @throws IllegalStateException naming the process and the end of its log when something fails
   */
  Started start(KubeCluster hub, List<KubeCluster> members) {
    applyFolder(hub, repositoryRoot.resolve("deploy/hub/crds"));
    for (KubeCluster member : members) {
      applyFolder(member, repositoryRoot.resolve("deploy/agent/crds"));
    }

    List<String> hubAddresses = new ArrayList<>();
    for (int replica = 0; replica < hubReplicas; replica++) {
      int port = Ports.free();
      String address = "127.0.0.1:" + port;
      hubAddresses.add(address);
      ManagedProcess hubProcess = startHub(hub, replica, port);
      if (replica == 0) {
        // The first replica creates the CA; the others load it, so they start once it exists.
        await("the hub CA Secret and agent endpoint", hubProcess,
            () -> Ports.inUse(port) && hub.api().get("/api/v1/namespaces/" + HUB_NAMESPACE + "/secrets/"
                + SecretCertificateAuthorityStore.SECRET_NAME).isSuccess());
      } else {
        await("the agent endpoint of hub replica " + replica, hubProcess, () -> Ports.inUse(port));
      }
    }
    String hubAddress = String.join(",", hubAddresses);
    ApiClient hubClient = client(hub.kubeconfig());
    CaPin pin = caPin(hub);

    List<ManagedProcess> agents = new ArrayList<>();
    List<Path> tokenFiles = new ArrayList<>();
    for (KubeCluster member : members) {
      Path tokenFile = writeToken(hubClient, member.name());
      int agentWebhookPort = Ports.free();
      tokenFiles.add(tokenFile);
      agents.add(bed.startProcess("rampart-agent-" + member.name(), List.of(
          java(), "-Xmx256m", "-cp", classPath,
          "com.petuum.rampart.agent.AgentMain",
          // The hub and agents log at INFO, so their files under logs/ show what they did and when.
          "--log-format", logFormatName(), "--log-level", "info",
          "--kubeconfig", member.kubeconfig().toString(),
          "--cluster-name", member.name(),
          "--hub-address", hubAddress,
          "--ca-hash", pin.toString(),
          "--token-file", tokenFile.toString(),
          "--work-folder", bed.directory().resolve("agents").resolve(member.name()).toString(),
          "--webhook-host", "127.0.0.1",
          "--webhook-port", Integer.toString(agentWebhookPort),
          "--webhook-url", "https://127.0.0.1:" + agentWebhookPort,
          "--metrics-port", Integer.toString(Ports.free())), Map.of()));
    }
    for (int i = 0; i < members.size(); i++) {
      String name = members.get(i).name();
      await("member cluster " + name + " Ready with its inventory on the hub", agents.get(i), () -> isReady(hub, name));
    }
    // The tokens are single use and spent now; remove them anyway.
    for (Path tokenFile : tokenFiles) {
      deleteQuietly(tokenFile);
    }
    return new Started(hubAddress, members.stream().map(KubeCluster::name).toList());
  }

  private String logFormatName() {
    return logFormat.name().toLowerCase(Locale.ROOT);
  }

  /** Returns whether the member is Ready and its agent has reported an inventory. */
  private static boolean isReady(KubeCluster hub, String cluster) {
    JsonNode member = hub.api().get("/apis/rampart.petuum.com/v1/memberclusters/" + cluster).body();
    if (member.path("status").path("nodeCount").asInt(0) == 0) {
      return false;
    }
    for (JsonNode condition : member.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private CaPin caPin(KubeCluster hub) {
    JsonNode secret = hub.api().get("/api/v1/namespaces/" + HUB_NAMESPACE + "/secrets/"
        + SecretCertificateAuthorityStore.SECRET_NAME).body();
    JsonNode data = secret.path("data");
    String encoded = data.has("ca.crt") ? data.path("ca.crt").asText() : data.path("tls.crt").asText();
    String pem = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    return CaPin.of(Pem.decodeCertificate(pem));
  }

  private Path writeToken(ApiClient hubClient, String cluster) {
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());
    new SecretBootstrapTokenStore(hubClient, HUB_NAMESPACE)
        .create(StoredToken.unused(token, new ClusterName(cluster), Instant.now().plus(Duration.ofHours(1))));
    try {
      Path file = bed.directory().resolve("join-token-" + cluster);
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, token.text(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the join token of " + cluster, e);
    }
  }

  private static void applyFolder(KubeCluster cluster, Path folder) {
    KubectlResult result = cluster.kubectl("apply", "--server-side", "-f", folder.toString());
    if (!result.succeeded()) {
      throw new IllegalStateException("Cannot install the CRDs in " + folder + " on " + cluster.name() + ": " + result.stderr());
    }
    KubectlResult established = cluster.awaitEstablished(folder, Duration.ofSeconds(60));
    if (!established.succeeded()) {
      throw new IllegalStateException("The CRDs in " + folder + " did not become established on " + cluster.name()
          + ": " + established.stderr());
    }
  }

  private static ApiClient client(Path kubeconfig) {
    try {
      return Config.fromConfig(kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read kubeconfig " + kubeconfig, e);
    }
  }

  private static void await(String what, ManagedProcess process, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process.name() + " exited while waiting for " + what + ". Last lines of "
            + process.logFile() + ":\n" + process.logTail(30));
      }
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        Thread.sleep(250);
      } catch (RuntimeException e) {
        // The apiserver or the process is not ready yet; poll again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException("Timed out after " + READY_TIMEOUT.toSeconds() + " s waiting for " + what
        + ". Last lines of " + process.logFile() + ":\n" + process.logTail(30));
  }

  private ManagedProcess startHub(KubeCluster hub, int replica, int port) {
    int webhookPort = Ports.free();
    return bed.startProcess(replica == 0 ? "rampart-hub" : "rampart-hub-" + replica, List.of(
        java(), "-Xmx512m", "-cp", classPath, "com.petuum.rampart.hub.HubMain",
        "--log-format", logFormatName(), "--log-level", "info",
        "--kubeconfig", hub.kubeconfig().toString(),
        "--listen-host", "127.0.0.1",
        "--port", Integer.toString(port),
        "--advertise-address", "127.0.0.1:" + port,
        "--webhook-host", "127.0.0.1",
        "--webhook-port", Integer.toString(webhookPort),
        "--webhook-url", "https://127.0.0.1:" + webhookPort,
        "--metrics-port", Integer.toString(Ports.free()),
        "--zookeeper", zooKeeper,
        "--zookeeper-session-timeout", Integer.toString(sessionTimeoutSeconds)), Map.of());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover spent token is harmless; the next local up replaces the folder.
    }
  }
}
