package com.petuum.rampart.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.testbed.pki.CertificateAuthority;
import com.petuum.rampart.testbed.pki.IssuedCertificate;
import com.petuum.rampart.testbed.pki.Pem;
import com.petuum.rampart.testbed.process.ManagedProcess;
import com.petuum.rampart.testbed.process.ProcessLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the processes of one test cluster in order and waits for each to be ready: etcd,
 * kube-apiserver, kube-controller-manager, and on members kube-scheduler and KWOK with nodes.
 *
 * <p>Not thread-safe; each instance starts one cluster once.
 */
final class ClusterLauncher {

  private static final Logger log = LoggerFactory.getLogger(ClusterLauncher.class);

  /** Per step on two busy cores, where an apiserver can take twenty times longer than idle. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

  /** Controllers a federation hub needs: no nodes, pods or workloads run there. */
  static final String HUB_CONTROLLERS =
      "namespace,garbagecollector,serviceaccount,serviceaccount-token,clusterrole-aggregation";

  static final String VOLUME_PROVISIONER = "testbed.rampart.petuum.com/volume";

  private final ClusterSpec spec;
  private final Path directory;
  private final TestBinaries binaries;
  private final ProcessLedger ledger;
  private final boolean routeServices;
  private final List<ManagedProcess> started = new ArrayList<>();
  private ServiceProxy serviceProxy;

  ClusterLauncher(ClusterSpec spec, Path directory, TestBinaries binaries, ProcessLedger ledger, boolean routeServices) {
    this.spec = spec;
    this.directory = directory;
    this.binaries = binaries;
    this.ledger = ledger;
    this.routeServices = routeServices;
  }

  /** Attempts before giving up when another process takes a port between choice and bind. */
  static final int START_ATTEMPTS = 3;

  /**
   * Starts the cluster, and on failure ends whatever it started and rethrows. Free ports are
   * chosen before the processes bind them, so a concurrent test can take one in between. Such a
   * start is retried with new ports, unless the caller fixed the apiserver's port.
   */
  KubeCluster start() {
    for (int attempt = 1; ; attempt++) {
      try {
        return startSteps();
      } catch (RuntimeException e) {
        for (int i = started.size() - 1; i >= 0; i--) {
          started.get(i).stop();
        }
        started.clear();
        if (serviceProxy != null) {
          serviceProxy.close();
          serviceProxy = null;
        }
        boolean portRace = String.valueOf(e.getMessage()).contains("address already in use");
        if (!portRace || attempt >= START_ATTEMPTS || spec.apiServerPort() != 0) {
          throw e;
        }
        log.warn("A port was taken before the cluster could bind it; retrying with new ports. cluster={} attempt={}",
            spec.name(), attempt);
        deleteDirectory();
      }
    }
  }

  private void deleteDirectory() {
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear the cluster folder " + directory + " for a retry", e);
    }
  }

  private KubeCluster startSteps() {
    String name = spec.name();
    if (spec.apiServerPort() != 0 && Ports.inUse(spec.apiServerPort())) {
      throw new IllegalStateException("Port " + spec.apiServerPort() + " on 127.0.0.1, asked for the kube-apiserver of "
          + name + ", is in use. Stop the process that holds it, or choose another port.");
    }
    createDirectories();

    // Certificates: one CA per cluster signs the serving certificate and every client.
    CertificateAuthority ca = CertificateAuthority.create("rampart-testbed-" + name);
    IssuedCertificate serving = ca.issueServing(
        "kube-apiserver",
        List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
    IssuedCertificate admin = ca.issueClient("rampart-testbed-admin", List.of("system:masters"));
    IssuedCertificate controllerManager = ca.issueClient("system:kube-controller-manager", List.of());
    IssuedCertificate scheduler = ca.issueClient("system:kube-scheduler", List.of());
    var serviceAccountKeys = CertificateAuthority.newKeyPair();
    write("ca.crt", ca.certificatePem());
    write("ca.key", ca.privateKeyPem());
    write("apiserver.crt", serving.certificatePem());
    write("apiserver.key", serving.privateKeyPem());
    write("sa.pub", Pem.publicKey(serviceAccountKeys.getPublic()));
    write("sa.key", Pem.privateKey(serviceAccountKeys.getPrivate()));

    int etcdClientPort = Ports.free();
    int etcdPeerPort = Ports.free();
    int apiPort = spec.apiServerPort() == 0 ? Ports.free() : spec.apiServerPort();
    String server = "https://127.0.0.1:" + apiPort;

    Path adminKubeconfig = directory.resolve("admin.kubeconfig");
    KubeCluster.writeKubeconfig(adminKubeconfig, name, server, ca.certificatePem(), admin.certificatePem(), admin.privateKeyPem());
    KubeCluster.writeKubeconfig(directory.resolve("controller-manager.kubeconfig"), name, server,
        ca.certificatePem(), controllerManager.certificatePem(), controllerManager.privateKeyPem());
    KubeCluster.writeKubeconfig(directory.resolve("scheduler.kubeconfig"), name, server,
        ca.certificatePem(), scheduler.certificatePem(), scheduler.privateKeyPem());

    // etcd
    String etcdUrl = "http://127.0.0.1:" + etcdClientPort;
    String peerUrl = "http://127.0.0.1:" + etcdPeerPort;
    ManagedProcess etcd = launch("etcd", List.of(
        binaries.path("etcd").toString(),
        "--name=default",
        "--data-dir=" + directory.resolve("etcd-data"),
        "--listen-client-urls=" + etcdUrl,
        "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=default=" + peerUrl,
        "--unsafe-no-fsync=true",
        "--log-level=warn"));
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Readiness.await("etcd /health on " + etcdUrl, STEP_TIMEOUT, etcd,
        () -> httpStatus(plain, etcdUrl + "/health") == 200);

    // kube-apiserver. With routeServices, its HTTPS requests to Services go through the
    // service proxy.
    Map<String, String> apiServerEnvironment = Map.of();
    if (routeServices) {
      serviceProxy = ServiceProxy.start(name);
      apiServerEnvironment = Map.of("HTTPS_PROXY", serviceProxy.url(), "NO_PROXY", "127.0.0.1,localhost,::1");
    }
    ManagedProcess apiServer = launch("kube-apiserver", apiServerEnvironment, List.of(
        binaries.path("kube-apiserver").toString(),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1",
        // Without it the apiserver looks for a host interface and fails on hosts without a
        // default route, even when bound to loopback.
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--tls-cert-file=" + directory.resolve("apiserver.crt"),
        "--tls-private-key-file=" + directory.resolve("apiserver.key"),
        "--client-ca-file=" + directory.resolve("ca.crt"),
        "--service-account-issuer=" + server,
        "--service-account-key-file=" + directory.resolve("sa.pub"),
        "--service-account-signing-key-file=" + directory.resolve("sa.key"),
        "--service-cluster-ip-range=10.96.0.0/16",
        "--authorization-mode=Node,RBAC",
        "--allow-privileged=true",
        // The apiserver would otherwise publish its loopback address into default/kubernetes.
        "--endpoint-reconciler-type=none",
        "--enable-priority-and-fairness=false",
        "--profiling=false",
        "--v=1"));
    KubeApi api = new KubeApi(URI.create(server), ca.certificate(), admin);
    if (serviceProxy != null) {
      serviceProxy.attach(() -> api);
    }
    KubeApi anonymous = new KubeApi(URI.create(server), ca.certificate(), null);
    Readiness.await("kube-apiserver /readyz on " + server, STEP_TIMEOUT, apiServer,
        () -> anonymous.get("/readyz").status() == 200);
    Readiness.await("namespace default on " + server, STEP_TIMEOUT, apiServer,
        () -> api.get("/api/v1/namespaces/default").isSuccess());

    // kube-controller-manager
    launch("kube-controller-manager", List.of(
        binaries.path("kube-controller-manager").toString(),
        "--kubeconfig=" + directory.resolve("controller-manager.kubeconfig"),
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + Ports.free(),
        "--cert-dir=" + directory.resolve("controller-manager-certs"),
        "--service-account-private-key-file=" + directory.resolve("sa.key"),
        "--root-ca-file=" + directory.resolve("ca.crt"),
        "--use-service-account-credentials=true",
        "--controllers=" + (spec.role() == ClusterRole.HUB ? HUB_CONTROLLERS : "*"),
        "--v=1"));

    KubeCluster cluster;
    if (spec.role() == ClusterRole.MEMBER) {
      launch("kube-scheduler", List.of(
          binaries.path("kube-scheduler").toString(),
          "--kubeconfig=" + directory.resolve("scheduler.kubeconfig"),
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          "--secure-port=" + Ports.free(),
          "--v=1"));
      writeKwokConfig();
      // KWOK gets admin rights: it writes node and pod status and creates volumes.
      ManagedProcess kwok = launch("kwok", List.of(
          binaries.path("kwok").toString(),
          "--kubeconfig=" + adminKubeconfig,
          "--config=" + directory.resolve("kwok.yaml"),
          "--manage-all-nodes=true",
          "--node-lease-duration-seconds=40",
          "--cidr=10.244.0.0/16",
          "--node-ip=10.0.0.1"));
      createStorageClasses(api);
      cluster = newCluster(server, ca, adminKubeconfig, api);
      for (KwokNode node : spec.nodes()) {
        cluster.addNode(node);
      }
      Readiness.await(spec.nodes().size() + " KWOK node(s) Ready and schedulable on " + name, STEP_TIMEOUT, kwok,
          () -> schedulableNodes(api) >= spec.nodes().size());
    } else {
      cluster = newCluster(server, ca, adminKubeconfig, api);
    }

    // The default service account appears once the controller manager's controllers run;
    // pods and Helm releases need it.
    Readiness.await("service account default/default on " + name, STEP_TIMEOUT, process("kube-controller-manager"),
        () -> api.get("/api/v1/namespaces/default/serviceaccounts/default").isSuccess());
    // Nothing above waits on kube-scheduler or KWOK directly; one that failed to bind has exited.
    for (ManagedProcess process : started) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process.name() + " exited during start-up. Last lines of "
            + process.logFile() + ":\n" + process.logTail(30));
      }
    }
    log.info("Test cluster ready. cluster={} role={} server={}", name, spec.role(), server);
    return cluster;
  }

  private KubeCluster newCluster(String server, CertificateAuthority ca, Path adminKubeconfig, KubeApi api) {
    return new KubeCluster(spec, directory, server, ca.certificatePem(), adminKubeconfig, api, started, serviceProxy);
  }

  /** Counts Ready nodes that carry no NoSchedule taint added by the node lifecycle controller. */
  private static int schedulableNodes(KubeApi api) {
    JsonNode nodes = api.get("/api/v1/nodes").body().path("items");
    int ready = 0;
    for (JsonNode node : nodes) {
      boolean isReady = false;
      for (JsonNode condition : node.path("status").path("conditions")) {
        if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
          isReady = true;
        }
      }
      boolean notReadyTaint = false;
      for (JsonNode taint : node.path("spec").path("taints")) {
        if (taint.path("key").asText().startsWith("node.kubernetes.io/")) {
          notReadyTaint = true;
        }
      }
      if (isReady && !notReadyTaint) {
        ready++;
      }
    }
    return ready;
  }

  private void createStorageClasses(KubeApi api) {
    for (int i = 0; i < spec.storageClasses().size(); i++) {
      String className = spec.storageClasses().get(i);
      Map<String, Object> annotations = i == 0
          ? Map.of("storageclass.kubernetes.io/is-default-class", "true")
          : Map.of();
      api.create("/apis/storage.k8s.io/v1/storageclasses", Map.of(
          "apiVersion", "storage.k8s.io/v1",
          "kind", "StorageClass",
          "metadata", Map.of("name", className, "annotations", annotations),
          "provisioner", VOLUME_PROVISIONER,
          "reclaimPolicy", "Delete",
          "volumeBindingMode", "Immediate"));
    }
  }

  private void writeKwokConfig() {
    try (InputStream stages = ClusterLauncher.class.getResourceAsStream("kwok-stages.yaml")) {
      if (stages == null) {
        throw new IllegalStateException("kwok-stages.yaml is missing from the test-bed jar");
      }
      Files.write(directory.resolve("kwok.yaml"), stages.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the KWOK configuration", e);
    }
  }

  private ManagedProcess launch(String component, List<String> command) {
    return launch(component, Map.of(), command);
  }

  private ManagedProcess launch(String component, Map<String, String> environment, List<String> command) {
    String processName = spec.name() + "-" + component;
    ManagedProcess process = ManagedProcess.start(
        processName, command, environment, directory.resolve("logs").resolve(component + ".log"), ledger);
    started.add(process);
    return process;
  }

  private ManagedProcess process(String component) {
    String wanted = spec.name() + "-" + component;
    return started.stream().filter(p -> p.name().equals(wanted)).findFirst().orElseThrow();
  }

  private void createDirectories() {
    try {
      Files.createDirectories(directory.resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the cluster folder " + directory, e);
    }
  }

  private void write(String fileName, String content) {
    try {
      Files.writeString(directory.resolve(fileName), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + directory.resolve(fileName), e);
    }
  }

  private static int httpStatus(HttpClient client, String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
