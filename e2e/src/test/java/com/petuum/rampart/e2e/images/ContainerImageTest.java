package com.petuum.rampart.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the hub and agent image tarballs that deploy/images/build.sh builds. Each tarball is
 * unpacked layer by layer and run without a container engine (see {@link ContainerCommand}). The
 * tests check that the names match the charts' defaults, that both images run as the charts' user
 * on a read-only root, and that an agent in its image joins a hub in its image on test-bed
 * clusters.
 *
 * <p>The tarballs' folder comes from the rampart.images system property, which Maven's "images"
 * profile sets (run-tests.sh and build.sh use it). Mount namespaces need root or unprivileged
 * user namespaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerImageTest {

  private static final String PROPERTY = "rampart.images";
  private static final String NONROOT_USER = "65532:65532";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final String NAMESPACE = "rampart-system";
  private static final String CA_SECRET = "/api/v1/namespaces/" + NAMESPACE + "/secrets/rampart-hub-ca";
  private static final String MEMBER = "member-a";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Path scratch;
  private Path repositoryRoot;
  private ContainerImage hub;
  private ContainerImage agent;

  @BeforeAll
  void unpackImages(@TempDir Path scratch) throws Exception {
    this.scratch = scratch;
    String folder = System.getProperty(PROPERTY, "");
    if (folder.isBlank()) {
      throw new IllegalStateException("The image tarballs are not configured. Build them with deploy/images/build.sh "
          + "and pass -D" + PROPERTY + "=" + "FOLDER (target/images), or run ./run-tests.sh, which does both.");
    }
    repositoryRoot = Path.of(System.getProperty("rampart.repo.root"));
    hub = ContainerImage.unpack(tarball(Path.of(folder), "hub"), scratch.resolve("hub"));
    agent = ContainerImage.unpack(tarball(Path.of(folder), "agent"), scratch.resolve("agent"));
  }

  @Test
  void tagsMatchChartDefaults() throws IOException {
    assertThat(hub.repoTags()).containsExactly(chartDefaultImage("hub"));
    assertThat(agent.repoTags()).containsExactly(chartDefaultImage("agent"));
  }

  @Test
  void configRunsAsChartUser() throws IOException {
    for (ContainerImage image : List.of(hub, agent)) {
      assertThat(image.user()).isEqualTo(NONROOT_USER);
      assertThat(image.root().resolve(image.workingDir().substring(1))).isDirectory();
      assertThat(image.entrypoint()).first().isEqualTo("/opt/java/bin/java");
      assertThat(image.root().resolve("opt/java/bin/java")).isExecutable();
      assertThat(Files.readAllLines(image.root().resolve("etc/passwd")))
          .contains("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin");
    }
  }

  @Test
  void applicationLayersApartFromRuntime() {
    for (ContainerImage image : List.of(hub, agent)) {
      List<Integer> runtimeLayers = image.layersWith("opt/java");
      List<Integer> classLayers = image.layersWith("app/classes");
      assertThat(runtimeLayers).hasSize(1);
      assertThat(classLayers).hasSize(1);
      assertThat(image.layersWith("app")).doesNotContainAnyElementsOf(runtimeLayers);
      assertThat(image.layers().get(classLayers.get(0)))
          .allSatisfy(entry -> assertThat(entry).matches("app/(classes/.*)?"));
    }
  }

  @Test
  void hubPrintsHelp() throws Exception {
    CommandOutput output = runToEnd(hub, List.of("--help"));

    assertThat(output.exitCode()).as(output.text()).isZero();
    assertThat(output.text()).contains("Usage: rampart-hub").contains("--kubeconfig=FILE");
  }

  @Test
  void agentPrintsHelp() throws Exception {
    CommandOutput output = runToEnd(agent, List.of("--help"));

    assertThat(output.exitCode()).as(output.text()).isZero();
    assertThat(output.text()).contains("Usage: rampart-agent").contains("--hub-address");
  }

  @Test
  void agentLoadsHelmLibrary() throws Exception {
    Path tmp = writableTmp("helm-probe");
    Path probeClass = Path.of(HelmProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(HelmProbe.class.getName().replace('.', '/') + ".class");
    Path target = tmp.resolve("probe").resolve(HelmProbe.class.getName().replace('.', '/') + ".class");
    Files.createDirectories(target.getParent());
    Files.copy(probeClass, target);
    // The image's user must read the class, whatever umask the test JVM runs with.
    for (Path path = target.getParent(); !path.equals(tmp); path = path.getParent()) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> entrypoint = List.of("/opt/java/bin/java", "-cp", "/tmp/probe:/app/libs/*", HelmProbe.class.getName());

    CommandOutput output = runToEnd(agent, tmp, entrypoint, List.of());

    assertThat(output.exitCode()).as(output.text()).isZero();
    assertThat(output.text()).containsPattern("helm version: v3\\.\\d+");
  }

  @Test
  void agentJoinsHubFromImages() throws Exception {
    try (TestBed bed = TestBed.builder("container-image").hub("hub").member(MEMBER, KwokNode.named("node-0")).start()) {
      KubeCluster hubCluster = bed.cluster("hub");
      KubeCluster memberCluster = bed.cluster(MEMBER);
      applyCrds(hubCluster, "deploy/hub/crds");
      applyCrds(memberCluster, "deploy/agent/crds");

      Path hubTmp = writableTmp("hub-tmp");
      copyReadable(hubCluster.kubeconfig(), hubTmp.resolve("kubeconfig"));
      int port = Ports.free();
      int hubMetricsPort = Ports.free();
      ManagedProcess hubProcess = bed.startProcess("rampart-hub-image", ContainerCommand.of(hub, hubTmp, List.of(
          "--kubeconfig=/tmp/kubeconfig",
          "--namespace=" + NAMESPACE,
          "--listen-host=127.0.0.1",
          "--port=" + port,
          "--advertise-address=127.0.0.1:" + port,
          "--webhook-port=0",
          "--metrics-port=" + hubMetricsPort), Map.of("JAVA_TOOL_OPTIONS", "-Xmx384m")), Map.of());
      ManagedProcess agentProcess = null;
      try {
        awaitReady(hubProcess, hubMetricsPort);
        assertThat(hubCluster.api().get(CA_SECRET).isSuccess()).as("hub CA Secret %s", CA_SECRET).isTrue();
        assertThat(Ports.inUse(port)).as("agent endpoint on port %d", port).isTrue();
        assertThat(uidLine(containerJava(hubProcess))).startsWith(expectedUidLine());

        Path agentTmp = writableTmp("agent-tmp");
        copyReadable(memberCluster.kubeconfig(), agentTmp.resolve("kubeconfig"));
        writeReadable(agentTmp.resolve("join-token"), createJoinToken(hubCluster));
        int agentMetricsPort = Ports.free();
        agentProcess = bed.startProcess("rampart-agent-image", ContainerCommand.of(agent, agentTmp, List.of(
            "--kubeconfig=/tmp/kubeconfig",
            "--cluster-name=" + MEMBER,
            "--hub-address=127.0.0.1:" + port,
            "--ca-hash=" + caPin(hubCluster),
            "--token-file=/tmp/join-token",
            "--namespace=" + NAMESPACE,
            "--work-folder=/tmp/work",
            "--webhook-port=0",
            "--metrics-port=" + agentMetricsPort), Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m")), Map.of());
        awaitReady(agentProcess, agentMetricsPort);
        ManagedProcess agentLog = agentProcess;
        await("member " + MEMBER + " Ready on the hub; agent log " + agentLog.logFile())
            .atMost(START_TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .failFast("the agent exited; see " + agentLog.logFile(), () -> !agentLog.isAlive())
            .until(() -> isMemberReady(hubCluster));
        assertThat(uidLine(containerJava(agentProcess))).startsWith(expectedUidLine());
      } finally {
        if (agentProcess != null) {
          stopContainer(agentProcess.pid());
        }
        stopContainer(hubProcess.pid());
      }
    }
  }

  private void applyCrds(KubeCluster cluster, String folder) {
    KubectlResult result = cluster.kubectl("apply", "--server-side", "-f", repositoryRoot.resolve(folder).toString());
    assertThat(result.succeeded()).as("kubectl apply %s: %s", folder, result.stderr()).isTrue();
  }

  /** Waits until the process's /readyz on {@code metricsPort} returns 200. */
  private static void awaitReady(ManagedProcess process, int metricsPort) {
    HttpClient http = HttpClient.newHttpClient();
    URI readyz = URI.create("http://127.0.0.1:" + metricsPort + "/readyz");
    await(process.name() + " to report ready on " + readyz + "; log " + process.logFile())
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast(process.name() + " exited; see " + process.logFile(), () -> !process.isAlive())
        .until(() -> http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200);
  }

  /** Stores a single-use bootstrap token for {@link #MEMBER} on the hub, as {@code rampartctl local up} does, and returns it. */
  private static String createJoinToken(KubeCluster hubCluster) throws IOException {
    ApiClient client = Config.fromConfig(hubCluster.kubeconfig().toString());
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());
    new SecretBootstrapTokenStore(client, NAMESPACE)
        .create(StoredToken.unused(token, new ClusterName(MEMBER), Instant.now().plus(Duration.ofHours(1))));
    return token.text();
  }

  /** Returns the sha256 pin of the hub CA that the agent checks, read from the hub's CA Secret. */
  private static String caPin(KubeCluster hubCluster) {
    JsonNode data = hubCluster.api().get(CA_SECRET).body().path("data");
    String encoded = data.has("ca.crt") ? data.path("ca.crt").asText() : data.path("tls.crt").asText();
    String pem = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    return CaPin.of(Pem.decodeCertificate(pem)).toString();
  }

  /** Returns whether the member is Ready on the hub and its agent has reported its nodes. */
  private static boolean isMemberReady(KubeCluster hubCluster) {
    JsonNode member = hubCluster.api().get("/apis/rampart.petuum.com/v1/memberclusters/" + MEMBER).body();
    if (member.path("status").path("nodeCount").asInt(0) == 0) {
      return false;
    }
    for (JsonNode condition : member.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  /** Returns the pid of the entrypoint's java process under the unshare command {@code process}. */
  private static long containerJava(ManagedProcess process) {
    return ProcessHandle.of(process.pid()).orElseThrow().descendants()
        .filter(child -> child.info().command().orElse("").endsWith("/java"))
        .findFirst().orElseThrow(() -> new AssertionError("no java process under " + process.pid()))
        .pid();
  }

  /** Copies a file so that the image's user can read it, whatever umask the test JVM runs with. */
  private static void copyReadable(Path source, Path target) throws IOException {
    Files.copy(source, target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static void writeReadable(Path target, String text) throws IOException {
    Files.writeString(target, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /**
   * Ends the processes under {@code pid} with SIGTERM, then SIGKILL after 30 seconds. unshare
   * cannot forward the signal itself, because the kernel clears a child's parent-death signal
   * when it changes to the image's user.
   */
  private static void stopContainer(long pid) {
    List<ProcessHandle> children = ProcessHandle.of(pid).map(handle -> handle.descendants().toList()).orElse(List.of());
    children.forEach(ProcessHandle::destroy);
    try {
      await("the container's processes under " + pid + " to exit").atMost(Duration.ofSeconds(30))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      children.forEach(ProcessHandle::destroyForcibly);
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private record CommandOutput(int exitCode, String text) {}

  private CommandOutput runToEnd(ContainerImage image, List<String> arguments) throws Exception {
    return runToEnd(image, writableTmp("tmp-" + System.nanoTime()), image.entrypoint(), arguments);
  }

  /** Runs the image with {@code tmp} mounted on /tmp and returns its exit code and output. */
  private CommandOutput runToEnd(ContainerImage image, Path tmp, List<String> entrypoint, List<String> arguments)
      throws Exception {
    Path output = scratch.resolve("output-" + System.nanoTime() + ".log");
    Process process = new ProcessBuilder(ContainerCommand.of(image, tmp, entrypoint, arguments, Map.of()))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      stopContainer(process.pid());
      throw new AssertionError("Timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: " + arguments
          + "\n" + Files.readString(output));
    }
    return new CommandOutput(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** Creates a folder that every user may write, like the emptyDir the charts mount on /tmp. */
  private Path writableTmp(String name) throws IOException {
    Path folder = Files.createDirectories(scratch.resolve(name));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    return folder;
  }

  /** Returns repository:appVersion, the image the chart deploys when no value overrides it. */
  private String chartDefaultImage(String chart) throws IOException {
    Path folder = repositoryRoot.resolve("deploy").resolve(chart);
    JsonNode values = YAML.readTree(folder.resolve("values.yaml").toFile());
    JsonNode chartYaml = YAML.readTree(folder.resolve("Chart.yaml").toFile());
    String tag = values.path("image").path("tag").asText("");
    return values.path("image").path("repository").asText() + ":"
        + (tag.isEmpty() ? chartYaml.path("appVersion").asText() : tag);
  }

  private static Path tarball(Path folder, String component) throws IOException {
    try (var files = Files.list(folder)) {
      List<Path> matches = files.filter(file -> file.getFileName().toString().matches("rampart-" + component + "-.+\\.tar"))
          .toList();
      if (matches.size() != 1) {
        throw new IllegalStateException("Expected one rampart-" + component + "-TAG.tar in " + folder + ", found "
            + matches + "; rebuild with deploy/images/build.sh");
      }
      return matches.get(0);
    }
  }

  /** Returns the Uid line of /proc/PID/status: real, effective, saved and file-system uid. */
  private static String uidLine(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .findFirst().orElseThrow();
  }

  /** As root, a container's process runs as the image's user, otherwise as the user that runs the test. */
  private static String expectedUidLine() {
    long uid = new com.sun.security.auth.module.UnixSystem().getUid();
    String expected = uid == 0 ? "65532" : Long.toString(uid);
    return "Uid:\t" + expected + "\t" + expected;
  }
}
