package com.petuum.rampart.e2e.docs;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.petuum.rampart.e2e.docs.DocShell.Result;
import com.petuum.rampart.e2e.docs.DocumentedCommands.Command;
import com.petuum.rampart.e2e.docs.DocumentedCommands.Extraction;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.Ports;
import com.petuum.rampart.testbed.TestBed;
import com.petuum.rampart.testbed.process.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shell command of README.md and docs/*.md, or checks that another test runs it.
 *
 * <p>{@link #docsCommandsRunAsWritten} follows docs/install.md on a test bed with a hub cluster
 * and a member named {@code gpu-east}, the docs' name: it installs the charts with the helm CLI,
 * starts the hub and the agent as processes with the charts' ServiceAccount tokens (KWOK pods run
 * no containers), and then runs the commands of the operator pages against them, in a folder
 * that links to this checkout's bin/, deploy/ and examples/. A command that the docs show and
 * that neither this test runs nor {@link #RUN_ELSEWHERE} or {@link #NOT_RUN} lists fails it.
 */
class DocumentedCommandsTest {

  /** Commands that other tests or CI run, with where. Each was checked by reading that test. */
  static final Map<String, String> RUN_ELSEWHERE = Map.ofEntries(
      entry("bin/rampartctl local up",
          "FederatedGraphLifecycleTest runs it with --chart-port PORT, since another federation may hold port 8879, "
              + "and checks that the example graph is Ready; LocalFederationCliTest runs it with --no-example"),
      entry("./run-tests.sh", ".ci/run runs exactly this command"),
      entry("bin/rampartctl local down", "LocalFederationCliTest and FederatedGraphLifecycleTest run it"),
      entry("deploy/images/build.sh",
          "./run-tests.sh runs the same build: build.sh --maven-options prepares the runtime layer and the Maven "
              + "run's images profile writes the tarballs, which ContainerImageTest unpacks and runs"),
      entry("bench/scheduler --clusters N --components K",
          "BenchScriptsIT in the bench module runs it with N = 100, K = 5 and few graphs"),
      entry("bench/scheduler --clusters N --components K --graphs 600 --warmup 400",
          "BenchScriptsIT in the bench module runs it with N = 100, K = 5 and few graphs"));

  private static final String NO_ENGINE = "the test machine has no container engine, so nothing loads or pushes "
      + "images; ContainerImageTest unpacks and runs the same docker-archive tarballs";

  /** Commands that no test runs, with the reason. Keep this short. */
  static final Map<String, String> NOT_RUN = Map.ofEntries(
      entry("kubectl -n rampart-system logs deployment/rampart-hub --all-containers | grep cluster=gpu-east",
          "KWOK pods run no containers, so kubectl logs has nothing to read on the test bed"),
      entry("kubectl -n rampart-system logs deployment/rampart-agent",
          "KWOK pods run no containers, so kubectl logs has nothing to read on the test bed"),
      entry("autoload -U +X bashcompinit && bashcompinit && source <(rampartctl completion zsh)",
          "zsh is not installed on the test machine"),
      entry("docker load -i target/images/rampart-hub-0.1.0.tar", NO_ENGINE),
      entry("docker load -i target/images/rampart-agent-0.1.0.tar", NO_ENGINE),
      entry("docker tag ghcr.io/petuum/rampart-hub:0.1.0 registry.example.com/rampart/rampart-hub:0.1.0", NO_ENGINE),
      entry("docker push registry.example.com/rampart/rampart-hub:0.1.0", NO_ENGINE),
      entry("docker tag ghcr.io/petuum/rampart-agent:0.1.0 registry.example.com/rampart/rampart-agent:0.1.0", NO_ENGINE),
      entry("docker push registry.example.com/rampart/rampart-agent:0.1.0", NO_ENGINE),
      entry("skopeo copy docker-archive:target/images/rampart-hub-0.1.0.tar "
          + "docker://registry.example.com/rampart/rampart-hub:0.1.0",
          "needs skopeo and a registry; the tests reach only 127.0.0.1"),
      entry("go list -m -versions github.com/karmada-io/karmada",
          "queries the public Go module proxy; the tests reach only 127.0.0.1"),
      // Benchmarks measure for minutes, and need a built bench module, which Maven builds after
      // the e2e module. bench/federation and bench/failover also need a whole local federation,
      // and bench/compare queries the public Go module proxy for Karmada.
      entry("./mvnw -q -pl bench -am package -DskipTests", "builds the benchmarks"),
      entry("java -cp 'bench/target/rampart-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' org.openjdk.jmh.Main "
          + "SchedulerBenchmark", "benchmark"),
      entry("java -Xmx1g -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main "
          + "'com.petuum.rampart.bench.admission.GraphValidationBenchmark'", "benchmark"),
      entry("export RAMPART_TESTBED_BIN=$(testbed/bin-build/build.sh)", "benchmark set-up"),
      entry("java -Xmx1g -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main "
          + "'com.petuum.rampart.bench.admission.AdmissionRoundTripBenchmark'", "benchmark"),
      entry("LOGS=\"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn "
          + "-Dorg.slf4j.simpleLogger.log.com.petuum.rampart.bench=info\"", "benchmark set-up"),
      entry("java -Xmx512m $LOGS -cp \"bench/target/classes:bench/target/lib/*\" "
          + "com.petuum.rampart.bench.protocol.JoinToReadyBenchmark 50", "benchmark"),
      entry("java -Xmx1g $LOGS -cp \"bench/target/classes:bench/target/lib/*\" "
          + "com.petuum.rampart.bench.protocol.FleetBenchmark 1000 60", "benchmark"),
      entry("java -Xmx512m $LOGS -Drampart.testbed.bin=FOLDER -cp \"bench/target/classes:bench/target/lib/*\" "
          + "com.petuum.rampart.bench.protocol.JoinToReadyTestBedBenchmark \"$PWD\" 20", "benchmark"),
      entry("bin/rampartctl local up --no-example --chart-port 18879 --binaries FOLDER", "benchmark set-up"),
      entry("bench/federation --graphs 20 --chart-repository http://127.0.0.1:18879/charts", "benchmark"),
      entry("bin/rampartctl local up --no-example --hub-replicas 3 --zookeeper-servers 3 "
          + "--zookeeper-session-timeout 2 --chart-port 38879 --binaries FOLDER", "benchmark set-up"),
      entry("bench/failover --takeovers 100 --member-losses 3 --chart-repository http://127.0.0.1:38879/charts",
          "benchmark"),
      entry("bench/compare", "benchmark"),
      entry("bench/compare --sizes 100 --out bench/target/comparison-100", "benchmark"));

  private static final String NAMESPACE = "rampart-system";
  private static final String MEMBER = "gpu-east";
  private static final String WEBHOOK_SERVICE = NAMESPACE + "/rampart-webhook:443";
  private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern TOKEN_LINE = Pattern.compile("(?m)^Token:\\s+(\\S+)$");
  private static final Pattern CA_HASH_LINE = Pattern.compile("(?m)^CA hash:\\s+(\\S+)$");

  @TempDir Path temporary;

  @Test
  void everyCodeBlockNamesItsLanguage() {
    Extraction extraction = DocumentedCommands.extract(repositoryRoot());

    assertThat(extraction.untaggedBlocks())
        .as("fenced blocks without a language; tag commands ```sh, transcripts with $ prompts ```console and "
            + "output ```text, so that this test knows which blocks hold commands")
        .isEmpty();
    assertThat(extraction.unknownLanguages())
        .as("fence languages other than %s and %s", DocumentedCommands.SHELL_LANGUAGES, DocumentedCommands.OTHER_LANGUAGES)
        .isEmpty();
  }

  @Test
  void exemptionsNameDocumentedCommands() {
    Set<String> documented = new HashSet<>();
    DocumentedCommands.extract(repositoryRoot()).commands().forEach(c -> documented.add(c.command()));

    assertThat(RUN_ELSEWHERE.keySet()).as("RUN_ELSEWHERE entries that no doc contains any more").isSubsetOf(documented);
    assertThat(NOT_RUN.keySet()).as("NOT_RUN entries that no doc contains any more").isSubsetOf(documented);
  }

  @Test
  void docsCommandsRunAsWritten() throws Exception {
    Path root = repositoryRoot();
    Extraction extraction = DocumentedCommands.extract(root);
    try (TestBed bed = TestBed.builder("documented-commands")
        // The hub cluster gets a node and the member's controllers so that the hub chart's
        // Deployment rolls out, as `kubectl rollout status` in docs/install.md expects.
        .member("hub", KwokNode.named("hub-0").capacity(Map.of("cpu", "32", "memory", "128Gi", "pods", "110")))
        .member(MEMBER, KwokNode.named("a100-0")
            .capacity(Map.of("cpu", "64", "memory", "512Gi", "nvidia.com/gpu", "8", "pods", "110"))
            .labels(Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB", "nvidia.com/gpu.count", "8")))
        .chartRepository(root.resolve("examples/charts"))
        .routeServices()
        .start()) {
      Session session = new Session(bed, root, extraction.commands());
      session.installHub();
      session.joinMember();
      session.readGraphStatus();
      session.explainPlacement();
      session.validateGraphs();
      session.steerClusters();
      session.useShellCompletionAndPlugin();
      session.recoverFromExpiredToken();
      session.upgrade();
      session.uninstall();

      assertCovered(extraction.commands(), session.shell.ran());
    }
  }

  @Test
  void uncoveredCommandNamesFileAndFix() {
    Command added = new Command("docs/install.md", 42, "kubectl frobnicate", List.of());

    assertThatThrownBy(() -> assertCovered(List.of(added), Set.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("docs/install.md:42: `kubectl frobnicate`")
        .hasMessageContaining("RUN_ELSEWHERE")
        .hasMessageContaining("NOT_RUN");
  }

  @Test
  void extractionJoinsContinuationsAndDropsComments() {
    List<Command> commands = new ArrayList<>();
    List<DocumentedCommands.UntaggedBlock> untagged = new ArrayList<>();
    List<String> unknown = new ArrayList<>();

    DocumentedCommands.extractFile("docs/example.md", List.of(
        "Text.",
        "   ```sh",
        "   # a comment line",
        "   helm install a b \\",
        "     --set x=1   # trailing comment",
        "   echo 'keep # this'",
        "   ```",
        "```console",
        "$ rampartctl graph explain \\",
        "    graph.yaml",
        "team-ml/training: placed",
        "```",
        "```",
        "ls",
        "```"), commands, untagged, unknown);

    assertThat(commands).extracting(Command::command)
        .containsExactly("helm install a b --set x=1", "echo 'keep # this'", "rampartctl graph explain graph.yaml");
    assertThat(commands).extracting(Command::line).containsExactly(4, 6, 9);
    assertThat(commands.get(2).shownOutput()).containsExactly("team-ml/training: placed");
    assertThat(untagged).containsExactly(new DocumentedCommands.UntaggedBlock("docs/example.md", 13));
    assertThat(unknown).isEmpty();
  }

  /**
   * Fails for every documented command that nothing runs, with what to do about it. A command
   * that a doc shows twice counts as run when the test ran it once from that doc.
   */
  private static void assertCovered(List<Command> documented, Set<Command> ran) {
    Set<String> ranInFile = new HashSet<>();
    ran.forEach(c -> ranInFile.add(c.file() + " " + c.command()));
    List<String> uncovered = new ArrayList<>();
    for (Command command : documented) {
      boolean covered = ranInFile.contains(command.file() + " " + command.command())
          || RUN_ELSEWHERE.containsKey(command.command())
          || NOT_RUN.containsKey(command.command());
      if (!covered) {
        uncovered.add(command.location() + ": `" + command.command() + "`");
      }
    }
    assertThat(uncovered)
        .as("documented commands that no test runs. Run each in DocumentedCommandsTest.docsCommandsRunAsWritten, or "
            + "name the test that runs it in RUN_ELSEWHERE, or give the reason it cannot run in NOT_RUN")
        .isEmpty();
  }

  /** The state of one run through the docs: the test bed, the processes and the shell. */
  private final class Session {

    private final TestBed bed;
    private final Path root;
    private final KubeCluster hub;
    private final KubeCluster member;
    private final DocShell shell;
    private final Map<String, String> onMember;
    private final int hubPort = Ports.free();
    private final String hubAddress = "127.0.0.1:" + hubPort;
    private final Path home;
    private final Path work;
    private ManagedProcess hubProcess;
    private ManagedProcess agentProcess;

    Session(TestBed bed, Path root, List<Command> documented) throws IOException {
      this.bed = bed;
      this.root = root;
      this.hub = bed.cluster("hub");
      this.member = bed.cluster(MEMBER);
      this.home = Files.createDirectories(temporary.resolve("home"));
      this.work = Files.createDirectories(temporary.resolve("work"));

      // The docs run commands from a checkout; the working folder links to this one's folders
      // and keeps the files that commands write, such as inventory.yaml.
      for (String folder : List.of("bin", "deploy", "examples")) {
        Files.createSymbolicLink(work.resolve(folder), root.resolve(folder));
      }
      // kubectl, helm and rampartctl read ~/.kube/config, whose current context is the hub.
      // README.md points KUBECONFIG at the local federation's file, which here is the same.
      String merged = Files.readString(bed.writeMergedKubeconfig());
      write(home.resolve(".kube/config"), merged);
      write(home.resolve(".rampart/local/kubeconfig"), merged);
      // Commands that the docs run "on the member" get a copy whose current context is gpu-east.
      Path memberKubeconfig = write(home.resolve("member.kubeconfig"),
          merged.replaceFirst("(?m)^current-context: .*$", "current-context: " + MEMBER));
      this.onMember = Map.of("KUBECONFIG", memberKubeconfig.toString());
      Files.createDirectories(home.resolve(".local/bin"));

      Path tools = Files.createDirectories(temporary.resolve("tools"));
      Files.createSymbolicLink(tools.resolve("helm"), helmBinary());
      Files.createSymbolicLink(tools.resolve("rampartctl"), root.resolve("bin/rampartctl"));
      Map<String, String> environment = new HashMap<>();
      environment.put("HOME", home.toString());
      environment.put("PATH", String.join(":", tools.toString(), home.resolve(".local/bin").toString(),
          Path.of(System.getProperty("java.home"), "bin").toString(), "/usr/local/bin", "/usr/bin", "/bin"));
      environment.put("LANG", "C.UTF-8");
      this.shell = new DocShell(documented, work, environment);
      shell.substitute("hub.example.com:7443", hubAddress);
      shell.substitute("hub.example:7443", hubAddress);
    }

    /** Runs section 1 of docs/install.md, then starts the hub as a process with its chart's rights. */
    void installHub() {
      Result install = ok("docs/install.md", "helm install rampart-hub deploy/hub -n rampart-system --create-namespace");
      assertThat(install.stdout()).contains("STATUS: deployed");
      Result rollout = ok("docs/install.md", "kubectl -n rampart-system rollout status deployment/rampart-hub");
      assertThat(rollout.stdout()).contains("successfully rolled out");
      // No cloud controller gives the LoadBalancer an address on the test bed, so it prints nothing.
      ok("docs/install.md",
          "kubectl -n rampart-system get service rampart-hub -o jsonpath='{.status.loadBalancer.ingress[0]}'");
      ok("docs/install.md", "helm upgrade rampart-hub deploy/hub -n rampart-system --reuse-values \\\n"
          + "  --set agentEndpoint.advertiseAddress=hub.example.com:7443");
      assertThat(hub.kubectl("-n", NAMESPACE, "get", "deployment", "rampart-hub",
          "-o", "jsonpath={.spec.template.spec.containers[0].args}").stdout())
          .contains("--advertise-address=" + hubAddress);

      int webhookPort = Ports.free();
      hub.routeService(NAMESPACE, "rampart-webhook", 443, webhookPort);
      hubProcess = bed.startProcess("rampart-hub", List.of(
          java(), "-Xmx384m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.hub.HubMain",
          "--kubeconfig", hub.writeServiceAccountKubeconfig(NAMESPACE, "rampart-hub").toString(),
          "--namespace", NAMESPACE,
          "--listen-host", "127.0.0.1",
          "--port", Integer.toString(hubPort),
          "--advertise-address", hubAddress,
          "--webhook-host", "127.0.0.1",
          "--webhook-port", Integer.toString(webhookPort),
          "--metrics-port", Integer.toString(Ports.free()),
          "--webhook-service", WEBHOOK_SERVICE), Map.of());
      await("the hub's validating webhook CA").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && !hub.kubectl("get", "validatingwebhookconfiguration", "rampart-validation",
              "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().isBlank());
    }

    /** Runs section 2 of docs/install.md and the token command of docs/protocol.md, then starts the agent. */
    void joinMember() throws IOException {
      Result token = ok("docs/install.md",
          "rampartctl cluster token create --cluster gpu-east --hub-address hub.example.com:7443");
      assertThat(token.stdout()).contains("Cluster:     gpu-east", "Hub address: " + hubAddress);
      String joinToken = group(TOKEN_LINE, token.stdout());
      String caHash = group(CA_HASH_LINE, token.stdout());
      shell.substitute("sha256:...", caHash);
      shell.substitute("abcdef.0123456789abcdef", joinToken);

      write(work.resolve("hub.kubeconfig"), Files.readString(hub.kubeconfig()));
      Result pinned = ok("docs/protocol.md", "bin/rampartctl cluster token create --cluster gpu-east --ttl 1h \\\n"
          + "    --hub-address hub.example:7443 --kubeconfig hub.kubeconfig");
      assertThat(pinned.stdout()).contains("CA hash:     " + caHash);

      // The Secret variant first, since the agent that joins uses the chart's own token Secret.
      ok("docs/install.md", "kubectl create namespace rampart-system", onMember);
      ok("docs/install.md",
          "kubectl -n rampart-system create secret generic gpu-east-join --from-literal=token=abcdef.0123456789abcdef",
          onMember);
      Result withSecret = ok("docs/install.md", "helm install rampart-agent deploy/agent -n rampart-system \\\n"
          + "  --set clusterName=gpu-east --set hub.address=hub.example.com:7443 --set hub.caHash=sha256:... \\\n"
          + "  --set join.existingSecret=gpu-east-join", onMember);
      assertThat(withSecret.stdout()).contains("STATUS: deployed");
      assertThat(member.kubectl("-n", NAMESPACE, "get", "secret", "rampart-agent-join").succeeded()).isFalse();
      ok("docs/install.md", "helm uninstall rampart-agent -n rampart-system", onMember);

      Result withToken = ok("docs/install.md", "helm install rampart-agent deploy/agent -n rampart-system --create-namespace \\\n"
          + "  --set clusterName=gpu-east \\\n"
          + "  --set hub.address=hub.example.com:7443 \\\n"
          + "  --set hub.caHash=sha256:... \\\n"
          + "  --set join.token=abcdef.0123456789abcdef", onMember);
      assertThat(withToken.stdout()).contains("STATUS: deployed");
      assertThat(tokenInChartSecret()).isEqualTo(joinToken);

      int webhookPort = Ports.free();
      member.routeService(NAMESPACE, "rampart-webhook", 443, webhookPort);
      Path tokenFile = bed.writeFile("join-token", tokenInChartSecret());
      agentProcess = bed.startProcess("rampart-agent", List.of(
          java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "com.petuum.rampart.agent.AgentMain",
          "--kubeconfig", member.writeServiceAccountKubeconfig(NAMESPACE, "rampart-agent").toString(),
          "--cluster-name", MEMBER,
          "--hub-address", hubAddress,
          "--ca-hash", caHash,
          "--token-file", tokenFile.toString(),
          "--namespace", NAMESPACE,
          "--work-folder", bed.directory().resolve("agent-work").toString(),
          "--webhook-host", "127.0.0.1",
          "--webhook-port", Integer.toString(webhookPort),
          "--metrics-port", Integer.toString(Ports.free()),
          "--webhook-service", WEBHOOK_SERVICE), Map.of());
      await("member cluster gpu-east Ready on the hub").atMost(JOIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> alive(hubProcess) && alive(agentProcess) && "True".equals(hub.kubectl("get", "membercluster",
              MEMBER, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout().trim()));

      Result list = ok("docs/install.md", "rampartctl cluster list");
      assertThat(list.stdout()).containsPattern("(?m)^gpu-east\\s+True\\s+Schedulable");
    }

    /** Runs docs/graph-status.md's status commands and README.md's kubectl commands on the example pipeline. */
    void readGraphStatus() {
      hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n");
      // The example names the chart repository that `rampartctl local up` serves on port 8879;
      // this test bed serves the same charts on another port.
      String pipeline = readRepositoryFile("examples/graphs/federated/pipeline.yaml")
          .replace("http://127.0.0.1:8879/charts", bed.chartRepositoryUrl());
      hub.applyYaml(pipeline);

      Result waited = ok("docs/graph-status.md",
          "kubectl -n demo wait --for=condition=Ready rampartgraph/pipeline --timeout=5m");
      assertThat(waited.stdout()).contains("rampartgraph.rampart.petuum.com/pipeline condition met");
      Result graphs = ok("docs/graph-status.md", "kubectl get rampartgraphs -A");
      assertThat(graphs.stdout()).containsPattern("(?m)^demo\\s+pipeline\\s+Deployed");
      Result status = ok("docs/graph-status.md", "rampartctl graph status pipeline -n demo");
      assertThat(status.stdout()).containsPattern("(?m)^Phase:\\s+Deployed$");
      for (String component : List.of("uploader", "executor", "serving")) {
        assertThat(status.stdout())
            .containsPattern("(?m)^\\s+" + component + "\\s+gpu-east\\s+demo-pipeline-" + component + "\\s+Deployed");
      }
      assertThat(status.stdout()).containsPattern("(?m)^\\s+raw\\s+volume\\s+gpu-east");
      Result described = ok("docs/graph-status.md", "kubectl -n demo describe rampartgraph pipeline");
      assertThat(described.stdout()).contains("Scheduled");

      ok("README.md", "export KUBECONFIG=~/.rampart/local/kubeconfig");
      Result members = ok("README.md", "kubectl --context hub get memberclusters");
      assertThat(members.stdout()).contains(MEMBER);
      assertThat(ok("README.md", "kubectl --context hub get rampartgraphs -A").stdout()).contains("pipeline");
      assertThat(ok("README.md", "kubectl --context hub describe rampartgraph pipeline -n demo").stdout())
          .contains("Name:", "pipeline");
      ok("README.md", "kubectl --context hub apply -f examples/graphs/federated/train-serve.yaml");
      ok("README.md", "kubectl --context hub apply -f examples/graphs/federated/unfittable.yaml");
      await("unfittable Unschedulable").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(hub.kubectl("-n", "demo", "get", "rampartgraph", "unfittable", "-o", "jsonpath={.status.phase}")
              .stdout()).isEqualTo("Unschedulable"));
    }

    /** Runs the explain commands of docs/graph-status.md and docs/placement-policies.md. */
    void explainPlacement() throws IOException {
      // The user's own policy and graph, which the pages leave to the reader.
      write(work.resolve("policy.yaml"), """
          apiVersion: rampart.petuum.com/v1
          kind: PlacementPolicy
          metadata: {name: east-gpus, namespace: team-ml}
          spec:
            graphSelector: {matchLabels: {team: ml}}
            priority: 10
            clusterAffinity: {clusterNames: [gpu-east]}
          """);
      write(work.resolve("graph.yaml"), """
          apiVersion: rampart.petuum.com/v1
          kind: RampartGraph
          metadata: {name: finetune, namespace: team-ml, labels: {team: ml}}
          spec:
            graph:
              components:
                trainer:
                  chart: {repo: "%s", name: batch-executor, version: 0.6.1}
                  config: {gpus: 2}
                  inputs: {}
                  outputs: {}
                  resources: [{count: 1, requests: {cpu: "8", memory: 64Gi, nvidia.com/gpu: "2"}}]
              flows: {}
          """.formatted(bed.chartRepositoryUrl()));

      ok("docs/placement-policies.md", "kubectl get memberclusters -o yaml > inventory.yaml");
      assertThat(readWorkFile("inventory.yaml")).contains("name: gpu-east");
      Result offline = ok("docs/placement-policies.md",
          "rampartctl graph explain --inventory inventory.yaml --policies policy.yaml graph.yaml");
      assertThat(offline.stdout()).contains("team-ml/finetune: placed", "policy east-gpus");
      hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-ml}\n");
      Result applied = ok("docs/placement-policies.md", "kubectl apply -f policy.yaml");
      assertThat(applied.stdout()).contains("placementpolicy.rampart.petuum.com/east-gpus created");

      ok("docs/graph-status.md", "kubectl get memberclusters -o yaml > inventory.yaml");
      ok("docs/graph-status.md", "kubectl -n team-ml get placementpolicies -o yaml > policies.yaml");
      assertThat(readWorkFile("policies.yaml")).contains("name: east-gpus");
      Result live = ok("docs/graph-status.md",
          "rampartctl graph explain --inventory inventory.yaml --policies policies.yaml graph.yaml");
      assertThat(live.stdout()).contains("team-ml/finetune: placed", "gpu-east", "policy east-gpus");

      Result examples = ok("docs/graph-status.md", "bin/rampartctl graph explain --inventory "
          + "examples/inventory/heterogeneous.yaml --policies examples/placement/policies.yaml "
          + "examples/placement/training.yaml");
      assertShownOutput("docs/graph-status.md", examples);
    }

    /** Runs docs/api.md's offline validation, and checks the webhook's response to an invalid graph. */
    void validateGraphs() throws IOException {
      ok("docs/api.md", "bin/rampartctl graph validate examples/graphs/valid/trainer-v1.yaml");
      write(work.resolve("my-graphs.yaml"), readRepositoryFile("examples/graphs/valid/simple-v1beta1.yaml")
          + "\n---\n" + readRepositoryFile("examples/graphs/valid/trainer-v1.yaml"));
      Result json = ok("docs/api.md", "bin/rampartctl graph validate -o json my-graphs.yaml");
      assertThat(json.stdout()).contains("\"valid\"");

      write(work.resolve("bad.yaml"), """
          apiVersion: rampart.petuum.com/v1
          kind: RampartGraph
          metadata: {name: bad, namespace: default}
          spec:
            placement:
              tolerations: [{key: gpu, operator: Exists, effect: NoRun}]
            graph:
              components:
                trainer:
                  chart: {repo: "%s", name: batch-executor, version: 0.6.1}
                  config: {}
                  inputs: {data: {type: volume, flow: raw-data}}
                  outputs: {}
              flows: {}
          """.formatted(bed.chartRepositoryUrl()));
      Result rejected = shell.run("docs/api.md", "kubectl apply -f bad.yaml");
      assertThat(rejected.exitCode()).as(rejected.describe()).isEqualTo(1);
      assertShownOutput("docs/api.md", rejected);
    }

    /** Runs the taint commands of docs/rampartctl.md and docs/placement-policies.md. */
    void steerClusters() {
      ok("docs/rampartctl.md", "rampartctl cluster taint gpu-east gpu=reserved:NoSchedule");
      assertThat(taints(MEMBER)).contains("\"key\":\"gpu\"", "\"value\":\"reserved\"", "\"effect\":\"NoSchedule\"");
      ok("docs/rampartctl.md", "rampartctl cluster taint gpu-east maintenance:PreferNoSchedule");
      assertThat(taints(MEMBER)).contains("\"key\":\"maintenance\"", "\"effect\":\"PreferNoSchedule\"");
      ok("docs/rampartctl.md", "rampartctl cluster taint gpu-east gpu=training:NoSchedule --overwrite");
      assertThat(taints(MEMBER)).contains("\"value\":\"training\"").doesNotContain("reserved");
      ok("docs/rampartctl.md", "rampartctl cluster taint gpu-east maintenance:PreferNoSchedule-");
      assertThat(taints(MEMBER)).doesNotContain("maintenance");
      ok("docs/rampartctl.md", "rampartctl cluster taint gpu-east gpu-");
      assertThat(taints(MEMBER)).isIn("", "[]");

      // A second MemberCluster, as an agent's join would create it, for the page's cluster name.
      hub.applyYaml("""
          apiVersion: rampart.petuum.com/v1
          kind: MemberCluster
          metadata: {name: gcp-europe-t4, labels: {gpu: t4}}
          spec: {}
          """);
      ok("docs/placement-policies.md", "rampartctl cluster taint gcp-europe-t4 gpu=reserved:NoSchedule");
      assertThat(taints("gcp-europe-t4")).contains("\"value\":\"reserved\"", "\"effect\":\"NoSchedule\"");
      assertThat(hub.kubectl("delete", "membercluster", "gcp-europe-t4").succeeded()).isTrue();
    }

    /** Runs docs/rampartctl.md's bash completion and kubectl plugin commands, with a temporary HOME. */
    void useShellCompletionAndPlugin() {
      ok("docs/rampartctl.md", "source <(rampartctl completion bash)");
      ok("docs/rampartctl.md", "ln -s \"$PWD/bin/kubectl-rampart\" ~/.local/bin/kubectl-rampart");
      assertThat(Files.isSymbolicLink(home.resolve(".local/bin/kubectl-rampart"))).isTrue();
      Result plugin = ok("docs/rampartctl.md", "kubectl rampart cluster list");
      assertThat(plugin.stdout()).containsPattern("(?m)^gpu-east\\s+True");
      Result plugins = ok("docs/rampartctl.md", "kubectl plugin list");
      assertThat(plugins.stdout()).contains(home.resolve(".local/bin/kubectl-rampart").toString());
    }

    /** Runs docs/troubleshooting.md's commands that give the agent a new token. */
    void recoverFromExpiredToken() {
      Result token = ok("docs/troubleshooting.md",
          "rampartctl cluster token create --cluster gpu-east --hub-address hub.example.com:7443");
      String newToken = group(TOKEN_LINE, token.stdout());
      shell.substitute("NEW_TOKEN", newToken);
      ok("docs/troubleshooting.md",
          "helm upgrade rampart-agent deploy/agent -n rampart-system --reuse-values --set join.token=NEW_TOKEN", onMember);
      assertThat(tokenInChartSecret()).isEqualTo(newToken);
      Result restart = ok("docs/troubleshooting.md", "kubectl -n rampart-system rollout restart deployment/rampart-agent",
          onMember);
      assertThat(restart.stdout()).contains("deployment.apps/rampart-agent restarted");
    }

    /** Runs section 3 of docs/install.md: upgrades both charts. */
    void upgrade() {
      ok("docs/install.md", "helm upgrade rampart-hub deploy/hub -n rampart-system --reuse-values");
      ok("docs/install.md", "kubectl -n rampart-system rollout status deployment/rampart-hub");
      ok("docs/install.md", "helm upgrade rampart-agent deploy/agent -n rampart-system --reuse-values", onMember);
      ok("docs/install.md", "helm upgrade rampart-hub deploy/hub -n rampart-system --reuse-values \\\n"
          + "  --set image.repository=registry.example.com/rampart/rampart-hub");
      ok("docs/install.md", "helm upgrade rampart-agent deploy/agent -n rampart-system --reuse-values \\\n"
          + "  --set image.repository=registry.example.com/rampart/rampart-agent", onMember);
      assertThat(hub.kubectl("-n", NAMESPACE, "get", "deployment", "rampart-hub",
          "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout())
          .isEqualTo("registry.example.com/rampart/rampart-hub:0.1.0");
      assertThat(member.kubectl("-n", NAMESPACE, "get", "deployment", "rampart-agent",
          "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout())
          .isEqualTo("registry.example.com/rampart/rampart-agent:0.1.0");
      // The upgrades keep the CA that the running processes wrote, so the webhooks still admit.
      assertThat(hub.kubectl("get", "validatingwebhookconfiguration", "rampart-validation",
          "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout()).isNotBlank();
      assertThat(member.kubectl("get", "mutatingwebhookconfiguration", "rampart-pod-wiring",
          "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout()).isNotBlank();
      assertThat(tokenInChartSecret()).isNotBlank();
    }

    /** Runs section 4 of docs/install.md: graphs first, so that the hub removes their work from the member. */
    void uninstall() {
      ok("docs/install.md", "kubectl delete rampartgraphs --all --all-namespaces");
      await("graphs removed from gpu-east").atMost(DEPLOY_TIMEOUT).untilAsserted(() ->
          assertThat(member.kubectl("get", "rampartgraphs", "-A", "-o", "name").stdout()).isBlank());
      assertThat(member.kubectl("get", "namespace", "demo-pipeline-executor").succeeded()).isFalse();
      ok("docs/install.md", "helm uninstall rampart-agent -n rampart-system", onMember);
      ok("docs/install.md", "helm uninstall rampart-hub -n rampart-system");
      assertThat(hub.kubectl("-n", NAMESPACE, "get", "deployment", "rampart-hub").succeeded()).isFalse();
      assertThat(member.kubectl("-n", NAMESPACE, "get", "deployment", "rampart-agent").succeeded()).isFalse();
    }

    private Result ok(String file, String command) {
      return ok(file, command, Map.of());
    }

    private Result ok(String file, String command, Map<String, String> overrides) {
      Result result = shell.run(file, command, overrides);
      assertThat(result.exitCode()).as("%s: %s", file, result.describe()).isZero();
      return result;
    }

    /**
     * Checks the output a {@code console} block shows: each line must appear in the real output,
     * and a line with {@code ...} only up to it, because the doc leaves the rest out.
     */
    private void assertShownOutput(String file, Result result) {
      Command command = shell.find(file, result.command());
      assertThat(command.shownOutput()).as("output shown after `%s` in %s", result.command(), file).isNotEmpty();
      for (String shown : command.shownOutput()) {
        int elided = shown.indexOf("...");
        String expected = (elided >= 0 ? shown.substring(0, elided) : shown).strip();
        if (!expected.isEmpty()) {
          assertThat(result.output()).as("output of `%s` shown in %s", result.command(), file).contains(expected);
        }
      }
    }

    private String taints(String cluster) {
      return hub.kubectl("get", "membercluster", cluster, "-o", "jsonpath={.spec.taints}").stdout().trim();
    }

    private String tokenInChartSecret() {
      KubectlResult secret = member.kubectl("-n", NAMESPACE, "get", "secret", "rampart-agent-join",
          "-o", "jsonpath={.data.token}");
      assertThat(secret.exitCode()).as(secret.stderr()).isZero();
      return new String(Base64.getDecoder().decode(secret.stdout().trim()), StandardCharsets.UTF_8);
    }


    private String readRepositoryFile(String file) {
      try {
        return Files.readString(root.resolve(file));
      } catch (IOException e) {
        throw new AssertionError("Cannot read " + root.resolve(file), e);
      }
    }

    private String readWorkFile(String file) {
      try {
        return Files.readString(work.resolve(file));
      } catch (IOException e) {
        throw new AssertionError("The command did not write " + work.resolve(file), e);
      }
    }
  }

  private static boolean alive(ManagedProcess process) {
    if (!process.isAlive()) {
      throw new IllegalStateException(process.name() + " exited. Last lines of " + process.logFile() + ":\n"
          + process.logTail(40));
    }
    return true;
  }

  private static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as("%s in:\n%s", pattern, text).isTrue();
    return matcher.group(1);
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new AssertionError("Cannot write " + file, e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root", "");
    Path path = Path.of(root.isBlank() ? ".." : root).toAbsolutePath().normalize();
    if (!Files.isDirectory(path.resolve("docs")) || !Files.isExecutable(path.resolve("bin/rampartctl"))) {
      throw new IllegalStateException("docs/ and bin/rampartctl not found under " + path
          + "; run the tests with Maven from the repository root or set -Drampart.repo.root");
    }
    return path;
  }

  /** Returns the helm CLI that testbed/bin-build/build-helm.sh builds. */
  private static Path helmBinary() {
    String folder = System.getProperty("rampart.helm.bin", "");
    if (folder.isBlank()) {
      folder = System.getenv().getOrDefault("RAMPART_HELM_BIN", "");
    }
    if (folder.isBlank() || !Files.isExecutable(Path.of(folder, "helm"))) {
      throw new IllegalStateException("The helm CLI is not configured (rampart.helm.bin='" + folder + "'). Run "
          + "testbed/bin-build/build-helm.sh and pass the folder it prints as -Drampart.helm.bin=FOLDER (Maven) or "
          + "RAMPART_HELM_BIN=FOLDER; ./run-tests.sh does both builds.");
    }
    return Path.of(folder, "helm");
  }
}
