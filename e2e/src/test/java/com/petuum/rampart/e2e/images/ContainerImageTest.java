package com.petuum.rampart.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
 * on a read-only root, and that the hub image serves against a real apiserver.
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
  private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(2);
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
  void hubServesAgainstApiserver() throws Exception {
    try (TestBed bed = TestBed.builder("container-image").hub("hub").start()) {
      KubeCluster cluster = bed.cluster("hub");
      KubectlResult crds = cluster.kubectl("apply", "--server-side", "-f",
          repositoryRoot.resolve("deploy/hub/crds").toString());
      assertThat(crds.succeeded()).as(crds.stderr()).isTrue();

      Path tmp = writableTmp("hub-tmp");
      Files.copy(cluster.kubeconfig(), tmp.resolve("kubeconfig"));
      int port = Ports.free();
      int metricsPort = Ports.free();
      List<String> command = ContainerCommand.of(hub, tmp, List.of(
          "--kubeconfig=/tmp/kubeconfig",
          "--namespace=rampart-system",
          "--listen-host=127.0.0.1",
          "--port=" + port,
          "--advertise-address=127.0.0.1:" + port,
          "--webhook-port=0",
          "--metrics-port=" + metricsPort), Map.of("JAVA_TOOL_OPTIONS", "-Xmx384m"));
      ManagedProcess process = bed.startProcess("rampart-hub-image", command, Map.of());
      HttpClient http = HttpClient.newHttpClient();
      URI readyz = URI.create("http://127.0.0.1:" + metricsPort + "/readyz");
      try {
        await("the hub in its image to report ready on " + readyz + "; log " + process.logFile())
            .atMost(HUB_START_TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .failFast("the hub exited; see " + process.logFile(), () -> !process.isAlive())
            .until(() -> http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200);

        assertThat(cluster.api().get("/api/v1/namespaces/rampart-system/secrets/rampart-hub-ca").isSuccess())
            .as("the hub CA Secret written through the apiserver").isTrue();
        assertThat(Ports.inUse(port)).as("agent endpoint on port %d", port).isTrue();
        ProcessHandle java = ProcessHandle.of(process.pid()).orElseThrow().descendants()
            .filter(child -> child.info().command().orElse("").endsWith("/java"))
            .findFirst().orElseThrow(() -> new AssertionError("no java process under " + process.pid()));
        assertThat(uidLine(java.pid())).startsWith(expectedUidLine());
      } finally {
        stopContainer(process.pid());
      }
    }
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

  /** As root, the hub runs as the image's user; otherwise as the user that runs the test. */
  private static String expectedUidLine() {
    long uid = new com.sun.security.auth.module.UnixSystem().getUid();
    String expected = uid == 0 ? "65532" : Long.toString(uid);
    return "Uid:\t" + expected + "\t" + expected;
  }
}
