package com.petuum.rampart.testbed;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.testbed.process.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running test cluster: its processes, its admin kubeconfig and clients for it.
 *
 * <p>Thread-safe. {@link #stop} is idempotent and ends the processes in reverse start order.
 */
public final class KubeCluster implements AutoCloseable {

  private static final long KUBECTL_TIMEOUT_SECONDS = 120;

  private final ClusterSpec spec;
  private final Path directory;
  private final String serverUrl;
  private final String caCertificatePem;
  private final Path kubeconfig;
  private final KubeApi api;
  private final List<ManagedProcess> processes;
  private final ServiceProxy serviceProxy;

  KubeCluster(
      ClusterSpec spec,
      Path directory,
      String serverUrl,
      String caCertificatePem,
      Path kubeconfig,
      KubeApi api,
      List<ManagedProcess> processes,
      ServiceProxy serviceProxy) {
    this.spec = requireNonNull(spec, "spec");
    this.directory = requireNonNull(directory, "directory");
    this.serverUrl = requireNonNull(serverUrl, "serverUrl");
    this.caCertificatePem = requireNonNull(caCertificatePem, "caCertificatePem");
    this.kubeconfig = requireNonNull(kubeconfig, "kubeconfig");
    this.api = requireNonNull(api, "api");
    this.processes = Collections.synchronizedList(new ArrayList<>(processes));
    this.serviceProxy = serviceProxy;
  }

  public String name() {
    return spec.name();
  }

  public ClusterSpec spec() {
    return spec;
  }

  /** Returns the folder with this cluster's certificates, kubeconfigs, data and process logs. */
  public Path directory() {
    return directory;
  }

  /** Returns the admin kubeconfig (group system:masters), whose context is named after the cluster. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Returns the kube-apiserver URL, {@code https://127.0.0.1:PORT}. */
  public String serverUrl() {
    return serverUrl;
  }

  /** Returns the cluster CA certificate, which signs the apiserver's serving certificate. */
  public String caCertificatePem() {
    return caCertificatePem;
  }

  /** Returns a JSON client with admin rights. */
  public KubeApi api() {
    return api;
  }

  /** Returns the processes of this cluster in start order: etcd, kube-apiserver, then the rest. */
  public List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  /** Returns the process named {@code <cluster>-<component>}, such as {@code kube-apiserver}. */
  public ManagedProcess process(String component) {
    String wanted = spec.name() + "-" + component;
    return processes().stream()
        .filter(p -> p.name().equals(wanted))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("cluster " + spec.name() + " runs no " + component));
  }

  /** Creates a KWOK node now; KWOK marks it Ready within a second or two. */
  public void addNode(KwokNode node) {
    api.create("/api/v1/nodes", node.toNodeObject());
  }

  /**
   * Runs the installed {@code kubectl} against this cluster with the admin kubeconfig.
   *
   * @throws IllegalStateException when kubectl cannot be started or runs over two minutes
   */
  public KubectlResult kubectl(String... arguments) {
    return kubectlWithInput(null, arguments);
  }

  /**
   * Runs {@code kubectl wait --for=condition=Established} on the CustomResourceDefinitions in
   * {@code path}, a file or a folder, until they are all Established or {@code timeout} passed.
   *
   * <p>For a definition the apiserver has stored but not yet given any condition, kubectl does not
   * wait: it fails at once with ".status.conditions accessor error: &lt;nil&gt; is of the type
   * &lt;nil&gt;". That error only means "too early", so the wait is repeated until the timeout.
   *
   * @return the last kubectl result; {@link KubectlResult#succeeded()} returns whether every
   *     definition became Established
   */
  public KubectlResult awaitEstablished(Path path, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long seconds = Math.max(1, Duration.between(Instant.now(), deadline).toSeconds());
      KubectlResult result = kubectl("wait", "--for=condition=Established", "--timeout=" + seconds + "s",
          "-f", path.toString());
      if (result.succeeded() || !result.stderr().contains("accessor error") || !Instant.now().isBefore(deadline)) {
        return result;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result;
      }
    }
  }

  /**
   * Writes a kubeconfig for this cluster that authenticates as a ServiceAccount with a one-hour
   * token, so a process started with it has exactly that account's RBAC rights. The file goes
   * into this cluster's folder as {@code ACCOUNT.kubeconfig}.
   *
   * @throws IllegalStateException when kubectl cannot create the token, for example because
   *     the ServiceAccount does not exist
   */
  public Path writeServiceAccountKubeconfig(String namespace, String account) {
    KubectlResult token = kubectl("create", "token", account, "-n", namespace, "--duration=1h");
    if (token.exitCode() != 0) {
      throw new IllegalStateException("Cannot create a token for ServiceAccount " + namespace + "/" + account
          + " on cluster " + name() + ": " + token.stderr().strip());
    }
    String ca = Base64.getEncoder().encodeToString(caCertificatePem().getBytes(StandardCharsets.US_ASCII));
    String text = """
        apiVersion: v1
        kind: Config
        clusters:
          - name: %1$s
            cluster: {server: "%2$s", certificate-authority-data: %3$s}
        users:
          - name: %4$s
            user: {token: "%5$s"}
        contexts:
          - name: %4$s@%1$s
            context: {cluster: %1$s, user: %4$s}
        current-context: %4$s@%1$s
        """.formatted(name(), serverUrl(), ca, account, token.stdout().trim());
    Path file = directory().resolve(account + ".kubeconfig");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    return file;
  }

  /** Runs kubectl with {@code input} on its standard input. */
  public KubectlResult kubectlWithInput(String input, String... arguments) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> stdout = readAsync(process.getInputStream());
      CompletableFuture<String> stderr = readAsync(process.getErrorStream());
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(KUBECTL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", arguments) + " timed out after "
            + KUBECTL_TIMEOUT_SECONDS + " s on cluster " + spec.name());
      }
      return new KubectlResult(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run kubectl; is it installed and on PATH?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running kubectl", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read kubectl's output", e);
    }
  }

  /**
   * Applies YAML with {@code kubectl apply -f -}.
   *
   * @throws IllegalStateException with kubectl's error output when it fails
   */
  public String applyYaml(String yaml) {
    KubectlResult result = kubectlWithInput(yaml, "apply", "-f", "-");
    if (!result.succeeded()) {
      throw new IllegalStateException("kubectl apply failed on cluster " + spec.name() + ": " + result.stderr());
    }
    return result.stdout();
  }

  private static CompletableFuture<String> readAsync(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Makes the apiserver's calls to {@code namespace/service:servicePort}, such as a webhook
   * registered with {@code clientConfig.service}, reach {@code 127.0.0.1:localPort}, as
   * kube-proxy would reach a pod behind the Service.
   *
   * @throws IllegalStateException unless the test bed was built with {@link TestBed.Builder#routeServices()}
   */
  public void routeService(String namespace, String service, int servicePort, int localPort) {
    if (serviceProxy == null) {
      throw new IllegalStateException("cluster " + name() + " routes no Services; call routeServices() on the "
          + "TestBed builder");
    }
    serviceProxy.route(namespace, service, servicePort, localPort);
  }

  /** Ends every process of this cluster, newest first. Safe to call twice. */
  public void stop() {
    List<ManagedProcess> reversed = new ArrayList<>(processes());
    Collections.reverse(reversed);
    for (ManagedProcess process : reversed) {
      process.stop();
    }
    if (serviceProxy != null) {
      serviceProxy.close();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Writes a kubeconfig for this cluster with the given client identity. */
  static void writeKubeconfig(Path file, String context, String server, String caPem, String certPem, String keyPem) {
    String text =
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: " + context + "\n"
            + "  cluster:\n"
            + "    server: " + server + "\n"
            + "    certificate-authority-data: " + base64(caPem) + "\n"
            + "users:\n"
            + "- name: " + context + "\n"
            + "  user:\n"
            + "    client-certificate-data: " + base64(certPem) + "\n"
            + "    client-key-data: " + base64(keyPem) + "\n"
            + "contexts:\n"
            + "- name: " + context + "\n"
            + "  context:\n"
            + "    cluster: " + context + "\n"
            + "    user: " + context + "\n"
            + "current-context: " + context + "\n";
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write kubeconfig " + file, e);
    }
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  Map<String, Object> describe() {
    return Map.of("name", spec.name(), "role", spec.role().name(), "server", serverUrl, "kubeconfig", kubeconfig.toString());
  }
}
