package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.rules.GraphModels;
import com.petuum.rampart.admission.testing.JsonPatch;
import com.petuum.rampart.admission.testing.Yaml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Talks to a real server over TLS on 127.0.0.1, trusting only its generated CA. */
class AdmissionServerTest {

  private static final Path INVALID = Yaml.repositoryRoot().resolve("examples/graphs/invalid/missing-flow.yaml");
  private static final Path VALID_V1BETA1 = Yaml.repositoryRoot().resolve("examples/graphs/valid/simple-v1beta1.yaml");

  /** Serves wiring for one namespace, or fails every lookup when {@code failure} is set. */
  private static final class FixedDirectory implements ComponentDirectory {
    RuntimeException failure;
    IOException unavailable;

    @Override
    public Optional<ComponentWiring> wiringFor(String namespace, ClusterFacts facts) throws IOException {
      if (unavailable != null) {
        throw unavailable;
      }
      if (failure != null) {
        throw failure;
      }
      if (!namespace.equals("default-test-simple-component0")) {
        return Optional.empty();
      }
      return Optional.of(ComponentWiring.of(GraphModels.parse(Yaml.read(VALID_V1BETA1), "default"), "component0", facts));
    }

    @Override
    public ClusterFacts clusterFacts() {
      return ClusterFacts.withGpus(true);
    }
  }

  private final FixedDirectory directory = new FixedDirectory();
  private AdmissionServer server;
  private HttpClient client;

  @BeforeEach
  void startServer() throws Exception {
    server = AdmissionServer.builder(ServingCertificate.generate(List.of("localhost"))).podMutation(directory).build();
    server.start();
    client = HttpClient.newBuilder().sslContext(trusting(server.certificate())).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static SSLContext trusting(ServingCertificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", certificate.chain().get(certificate.chain().size() - 1));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode review(String path, JsonNode review) throws Exception {
    HttpResponse<String> response = post(path, review.toString());
    assertThat(response.statusCode()).isEqualTo(200);
    return Yaml.JSON.readTree(response.body());
  }

  private static ObjectNode admissionReview(String kind, String operation, String namespace, JsonNode object) {
    ObjectNode review = Yaml.JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", "uid-1").put("operation", operation).put("namespace", namespace);
    request.putObject("kind").put("kind", kind);
    request.set("object", object);
    return review;
  }

  @Test
  void deniesInvalidGraphWithFieldPaths() throws Exception {
    JsonNode answer = review(AdmissionServer.VALIDATE_PATH, admissionReview("RampartGraph", "CREATE", "default", Yaml.read(INVALID)));

    JsonNode response = answer.path("response");
    assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(response.path("uid").asText()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
    assertThat(response.path("status").path("message").asText())
        .startsWith("RampartGraph \"missing-flow\" is invalid: 1 error")
        .contains("spec.graph.components.trainer.inputs.data.flow: input \"data\" uses flow \"raw-data\"");
    assertThat(response.path("status").path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.graph.components.trainer.inputs.data.flow");
  }

  @Test
  void admitsValidGraph() throws Exception {
    JsonNode answer = review(AdmissionServer.VALIDATE_PATH, admissionReview("RampartGraph", "CREATE", "default", Yaml.read(VALID_V1BETA1)));

    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void admitsInvalidGraphBeingDeleted() throws Exception {
    ObjectNode graph = Yaml.read(INVALID);
    ((ObjectNode) graph.path("metadata")).put("deletionTimestamp", "2026-12-04T10:00:00Z");

    JsonNode answer = review(AdmissionServer.VALIDATE_PATH, admissionReview("RampartGraph", "UPDATE", "default", graph));

    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void deniesInvalidPlacementPolicy() throws Exception {
    ObjectNode policy = Yaml.parse("apiVersion: rampart.petuum.com/v1\nkind: PlacementPolicy\nmetadata: {name: p}\nspec: {strategy: Random}\n");

    JsonNode answer = review(AdmissionServer.VALIDATE_PATH, admissionReview("PlacementPolicy", "CREATE", "default", policy));

    assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(answer.path("response").path("status").path("message").asText()).contains("spec.strategy: unknown strategy \"Random\"");
  }

  @Test
  void convertsEveryObjectOfReview() throws Exception {
    ObjectNode review = Yaml.JSON.createObjectNode();
    review.put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "ConversionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", "uid-2").put("desiredAPIVersion", GraphVersion.V1.apiVersion());
    request.putArray("objects").add(Yaml.read(VALID_V1BETA1)).add(Yaml.read(INVALID));

    JsonNode answer = review(AdmissionServer.CONVERT_PATH, review);

    JsonNode response = answer.path("response");
    assertThat(answer.path("kind").asText()).isEqualTo("ConversionReview");
    assertThat(response.path("uid").asText()).isEqualTo("uid-2");
    assertThat(response.path("result").path("status").asText()).isEqualTo("Success");
    assertThat(response.path("convertedObjects").findValuesAsText("apiVersion"))
        .containsExactly(GraphVersion.V1.apiVersion(), GraphVersion.V1.apiVersion());
  }

  @Test
  void failsConversionToUnservedVersion() throws Exception {
    ObjectNode review = Yaml.JSON.createObjectNode();
    ObjectNode request = review.putObject("request");
    request.put("uid", "uid-3").put("desiredAPIVersion", "rampart.petuum.com/v9");
    request.putArray("objects").add(Yaml.read(VALID_V1BETA1));

    JsonNode answer = review(AdmissionServer.CONVERT_PATH, review);

    assertThat(answer.path("response").path("result").path("status").asText()).isEqualTo("Failure");
    assertThat(answer.path("response").path("result").path("message").asText()).contains("\"rampart.petuum.com/v9\"");
  }

  @Test
  void patchesPodInComponentNamespace() throws Exception {
    ObjectNode pod = Yaml.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: main, image: x}]}\n");

    JsonNode answer = review(AdmissionServer.MUTATE_POD_PATH, admissionReview("Pod", "CREATE", "default-test-simple-component0", pod));

    JsonNode response = answer.path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    ArrayNode patch = (ArrayNode) Yaml.JSON.readTree(
        new String(Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8));
    JsonNode mutated = JsonPatch.apply(pod, patch);
    JsonNode main = mutated.path("spec").path("containers").get(0);
    assertThat(main.path("env").findValuesAsText("name")).contains("RAMPART_INPUT_input_volume_0", "RAMPART_INPUT_input_pulsar_1");
    assertThat(main.path("volumeMounts").findValuesAsText("mountPath")).contains("/input_volume_0", "/.RAMPART");
    assertThat(main.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("0");
  }

  @Test
  void admitsPodOutsideComponentNamespacesUnchanged() throws Exception {
    ObjectNode pod = Yaml.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: main, image: x}]}\n");

    JsonNode answer = review(AdmissionServer.MUTATE_POD_PATH, admissionReview("Pod", "CREATE", "kube-system", pod));

    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(answer.path("response").has("patch")).isFalse();
  }

  @Test
  void deniesPodWhenGraphsCannotBeRead() throws Exception {
    directory.unavailable = new IOException("listing RampartGraphs failed with HTTP 503");
    ObjectNode pod = Yaml.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: main, image: x}]}\n");

    JsonNode answer = review(AdmissionServer.MUTATE_POD_PATH, admissionReview("Pod", "CREATE", "default-test-simple-component0", pod));

    assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(answer.path("response").path("status").path("message").asText())
        .contains("could not look up the flows of namespace default-test-simple-component0")
        .contains("HTTP 503");
  }

  @Test
  void turnsInternalFailureIntoDenial() throws Exception {
    directory.failure = new IllegalStateException("directory broke");
    ObjectNode pod = Yaml.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: main, image: x}]}\n");

    HttpResponse<String> response = post(
        AdmissionServer.MUTATE_POD_PATH, admissionReview("Pod", "CREATE", "default-test-simple-component0", pod).toString());

    JsonNode answer = Yaml.JSON.readTree(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(answer.path("response").path("uid").asText()).isEqualTo("uid-1");
    assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(answer.path("response").path("status").path("message").asText()).contains("directory broke");
  }

  @Test
  void rejectsBodyThatIsNotJson() throws Exception {
    HttpResponse<String> response = post(AdmissionServer.VALIDATE_PATH, "{not json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("request body is not JSON");
  }

  @Test
  void answersHealthCheck() throws Exception {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + AdmissionServer.HEALTH_PATH)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void certificateNamesLoopbackAddress() throws Exception {
    assertThat(server.certificate().chain().get(0).getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .contains("127.0.0.1", "localhost");
    assertThat(server.certificate().caBundlePem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void closeIsIdempotentAndStopsServing() {
    server.close();
    server.close();

    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
  }
}
