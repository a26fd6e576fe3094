package com.petuum.rampart.bench.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.conversion.GraphConverter;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.server.AdmissionServer;
import com.petuum.rampart.admission.server.ServingCertificate;
import com.petuum.rampart.admission.server.WebhookEndpoint;
import com.petuum.rampart.admission.server.WebhookRegistrar;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one graph create through a real kube-apiserver with the validating webhook (and, for
 * v1beta1, the conversion webhook) registered: a server-side dry run, so nothing is stored and
 * every call does the same work. Needs the test-bed binaries: set {@code RAMPART_TESTBED_BIN}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class AdmissionRoundTripBenchmark {

  private static final String NAMESPACE = "bench";

  @Param({"10", "100", "500"})
  int components;

  @Param({"v1", "v1beta1"})
  String version;

  private TestBed bed;
  private AdmissionServer server;
  private CustomObjectsApi api;
  private Map<?, ?> body;

  @Setup(Level.Trial)
  public void startClusterAndWebhooks() throws Exception {
    bed = TestBed.builder("bench-admission-" + components + "-" + version).hub("hub").start();
    KubeCluster hub = bed.cluster("hub");
    require(hub.kubectl("apply", "-f", Path.of("deploy/hub/crds").toString()));
    require(hub.awaitEstablished(Path.of("deploy/hub/crds"), Duration.ofSeconds(60)));
    hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n");

    server = AdmissionServer.builder(ServingCertificate.generate(List.of())).build();
    server.start();
    ApiClient client = Config.fromConfig(hub.kubeconfig().toString());
    WebhookRegistrar registrar =
        new WebhookRegistrar(client, WebhookEndpoint.url(server.baseUrl()), server.certificate().caBundlePem());
    registrar.registerValidation();
    registrar.registerConversion();
    api = new CustomObjectsApi(client);

    GraphVersion graphVersion = GraphVersion.fromApiVersion(GraphVersion.GROUP + "/" + version).orElseThrow();
    ObjectNode graph = new GraphConverter().convert(GraphFixtures.pipeline("pipeline", components), graphVersion);
    body = new ObjectMapper().convertValue(graph, Map.class);
    awaitWebhook(hub);
  }

  /** Waits until the apiserver calls the webhook, which it picks up asynchronously. */
  private static void awaitWebhook(KubeCluster hub) throws InterruptedException {
    String invalid = "apiVersion: rampart.petuum.com/v1\nkind: RampartGraph\nmetadata: {name: probe, namespace: bench}\n"
        + "spec: {graph: {components: {Bad: {}}, flows: {}}}\n";
    for (int attempt = 0; attempt < 120; attempt++) {
      if (hub.kubectlWithInput(invalid, "apply", "--dry-run=server", "-f", "-").stderr().contains("invalid component name")) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new IllegalStateException("the validating webhook did not take effect within 60 s");
  }

  private static void require(KubectlResult result) {
    if (!result.succeeded()) {
      throw new IllegalStateException("kubectl failed: " + result.stderr());
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (server != null) {
      server.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Benchmark
  public Object createDryRun() throws ApiException {
    return api.createNamespacedCustomObject(GraphVersion.GROUP, version, NAMESPACE, "rampartgraphs", body)
        .dryRun("All")
        .execute();
  }
}
