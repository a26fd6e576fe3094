package com.petuum.rampart.agent.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.controller.GraphKey;
import com.petuum.rampart.proto.v1.WorkKey;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes slices into a real member apiserver with the agent's RampartGraph CRD installed. */
class LocalGraphWriterTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00.123Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static TestBed bed;
  private static KubeCluster member;
  private static LocalGraphWriter writer;

  @BeforeAll
  static void startMember() throws Exception {
    bed = TestBed.builder("local-graph-writer").member("member", KwokNode.named("node-0")).start();
    member = bed.cluster("member");
    Path crds = Path.of(System.getProperty("rampart.repo.root", "..")).resolve("deploy/agent/crds");
    KubectlResult applied = member.kubectl("apply", "-f", crds.toString());
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    KubectlResult established = member.awaitEstablished(crds, Duration.ofSeconds(60));
    assertThat(established.exitCode()).as(established.stderr()).isZero();
    try (Reader reader = Files.newBufferedReader(member.kubeconfig(), StandardCharsets.UTF_8)) {
      ApiClient client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      writer = new LocalGraphWriter(client, CLOCK);
    }
  }

  @AfterAll
  static void stopMember() {
    if (bed != null) {
      bed.close();
    }
  }

  private static final WorkKey KEY =
      WorkKey.newBuilder().setGraphUid("uid-123").setGraphNamespace("ml").setGraphName("pipeline").build();

  private static ByteString slice(String image) {
    return ByteString.copyFromUtf8("""
        {"apiVersion": "rampart.petuum.com/v1", "kind": "RampartGraph",
         "metadata": {"name": "ignored", "namespace": "ignored", "uid": "hub-side-uid", "resourceVersion": "42"},
         "spec": {"graph": {
           "components": {"uploader": {"chart": {"repo": "http://127.0.0.1:1/charts", "name": "uploader"},
                                        "config": {"image": "%s"}, "inputs": {}, "outputs": {}}},
           "flows": {}}},
         "status": {"phase": "Deployed"}}
        """.formatted(image));
  }

  private static JsonNode localGraph() {
    return member.api().get("/apis/rampart.petuum.com/v1/namespaces/ml/rampartgraphs/pipeline").body();
  }

  @Test
  void applyWritesHubOwnedGraphAndUpdatesInPlace() {
    writer.apply(KEY, 1, slice("uploader:1"));

    JsonNode created = localGraph();
    assertThat(created.path("metadata").path("labels").path("rampart.petuum.com/owned-by").asText()).isEqualTo("hub");
    assertThat(created.path("metadata").path("annotations").path("rampart.petuum.com/hub-uid").asText()).isEqualTo("uid-123");
    assertThat(created.path("metadata").path("annotations").path("rampart.petuum.com/hub-generation").asText()).isEqualTo("1");
    assertThat(created.path("spec").path("graph").path("components").path("uploader").path("config").path("image").asText())
        .isEqualTo("uploader:1");
    assertThat(created.path("status").path("phase").isMissingNode()).isTrue();

    writer.apply(KEY, 2, slice("uploader:2"));
    writer.apply(KEY, 2, slice("uploader:2"));

    JsonNode updated = localGraph();
    assertThat(updated.path("metadata").path("uid").asText()).isEqualTo(created.path("metadata").path("uid").asText());
    assertThat(updated.path("metadata").path("annotations").path("rampart.petuum.com/hub-generation").asText()).isEqualTo("2");
    assertThat(updated.path("spec").path("graph").path("components").path("uploader").path("config").path("image").asText())
        .isEqualTo("uploader:2");
  }

  @Test
  void applyStampsAppliedAtWithMilliseconds() {
    writer.apply(KEY, 4, slice("uploader:4"));

    assertThat(localGraph().path("metadata").path("annotations").path("rampart.petuum.com/slice-applied-at").asText())
        .isEqualTo("2026-12-04T10:00:00.123Z");
  }

  @Test
  void applyRecordsSpecAsStored() {
    GraphKey graphKey = new GraphKey("ml", "recorded");
    WorkKey key = KEY.toBuilder().setGraphName("recorded").setGraphUid("uid-789").build();

    writer.apply(key, 1, slice("uploader:1"));

    JsonNode stored = member.api().get("/apis/rampart.petuum.com/v1/namespaces/ml/rampartgraphs/recorded").body();
    assertThat(writer.appliedSpecs().acknowledgedSpec(graphKey)).contains(stored.path("spec"));

    writer.remove(key);

    assertThat(writer.appliedSpecs().acknowledgedSpec(graphKey)).isEmpty();
  }

  @Test
  void applyKeepsFinalizersOfLocalGraph() {
    WorkKey key = KEY.toBuilder().setGraphName("finalized").setGraphUid("uid-321").build();
    writer.apply(key, 1, slice("uploader:1"));
    KubectlResult patched = member.kubectl("patch", "rampartgraph", "finalized", "-n", "ml", "--type=merge",
        "-p", "{\"metadata\":{\"finalizers\":[\"rampart.petuum.com/graph\"]}}");
    assertThat(patched.exitCode()).as(patched.stderr()).isZero();

    writer.apply(key, 2, slice("uploader:2"));

    JsonNode updated = member.api().get("/apis/rampart.petuum.com/v1/namespaces/ml/rampartgraphs/finalized").body();
    assertThat(updated.path("metadata").path("finalizers").toString()).contains("rampart.petuum.com/graph");
    KubectlResult released = member.kubectl("patch", "rampartgraph", "finalized", "-n", "ml", "--type=merge",
        "-p", "{\"metadata\":{\"finalizers\":null}}");
    assertThat(released.exitCode()).as(released.stderr()).isZero();
  }

  @Test
  void removeDeletesGraphAndToleratesAbsence() {
    WorkKey other = KEY.toBuilder().setGraphName("short-lived").setGraphUid("uid-456").build();
    writer.apply(other, 1, slice("uploader:1"));

    writer.remove(other);
    writer.remove(other);

    assertThat(member.api().get("/apis/rampart.petuum.com/v1/namespaces/ml/rampartgraphs/short-lived").status())
        .isEqualTo(404);
  }

  @Test
  void sliceThatIsNotJsonObjectIsRejected() {
    assertThatThrownBy(() -> writer.apply(KEY, 3, ByteString.copyFromUtf8("[1, 2]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ml/pipeline")
        .hasMessageContaining("not a JSON object");
  }
}
