package com.petuum.rampart.admission.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the webhook server's address and CA bundle into the apiserver: the validating and
 * mutating webhook configurations (from the templates next to this class, applied with
 * server-side apply) and the conversion settings of the RampartGraph CRD (a merge patch).
 * Thread-safe; every call is idempotent.
 */
public final class WebhookRegistrar {

  public static final String VALIDATING_TEMPLATE = "validating-webhook-configuration.yaml";
  public static final String MUTATING_TEMPLATE = "mutating-webhook-configuration.yaml";
  public static final String GRAPH_CRD = "rampartgraphs.rampart.petuum.com";

  /** Field manager recorded on every object this class writes. */
  public static final String FIELD_MANAGER = "rampart-admission";

  private static final Logger log = LoggerFactory.getLogger(WebhookRegistrar.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient client;
  private final WebhookEndpoint endpoint;
  private final String caBundleBase64;

  /**
   * Creates a registrar; the caller owns and closes {@code client}.
   *
   * @param caBundlePem the PEM certificates the apiserver must trust
   */
  public WebhookRegistrar(ApiClient client, WebhookEndpoint endpoint, String caBundlePem) {
    this.client = requireNonNull(client, "client");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.caBundleBase64 = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Applies the validating webhook configuration for graphs and placement policies. */
  public void registerValidation() throws ApiException {
    ObjectNode configuration = fillTemplate(VALIDATING_TEMPLATE);
    String name = configuration.path("metadata").path("name").asText();
    AdmissionregistrationV1Api api = new AdmissionregistrationV1Api(client);
    PatchUtils.patch(
        V1ValidatingWebhookConfiguration.class,
        () -> api.patchValidatingWebhookConfiguration(name, new V1Patch(configuration.toString()))
            .fieldManager(FIELD_MANAGER).force(true).buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML,
        client);
    log.info("Registered the validating webhook. configuration={} endpoint={}", name, describeEndpoint());
  }

  /** Applies the mutating webhook configuration that wires flows into pods. */
  public void registerPodMutation() throws ApiException {
    ObjectNode configuration = fillTemplate(MUTATING_TEMPLATE);
    String name = configuration.path("metadata").path("name").asText();
    AdmissionregistrationV1Api api = new AdmissionregistrationV1Api(client);
    PatchUtils.patch(
        V1MutatingWebhookConfiguration.class,
        () -> api.patchMutatingWebhookConfiguration(name, new V1Patch(configuration.toString()))
            .fieldManager(FIELD_MANAGER).force(true).buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML,
        client);
    log.info("Registered the pod mutating webhook. configuration={} endpoint={}", name, describeEndpoint());
  }

  /** Points the RampartGraph CRD's conversion webhook at this server. */
  public void registerConversion() throws ApiException {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode conversion = patch.putObject("spec").putObject("conversion");
    conversion.put("strategy", "Webhook");
    ObjectNode webhook = conversion.putObject("webhook");
    webhook.putArray("conversionReviewVersions").add("v1");
    ObjectNode clientConfig = endpoint.clientConfig(AdmissionServer.CONVERT_PATH, caBundleBase64);
    // A merge patch keeps fields it does not name, and clientConfig takes a url or a service, never both.
    clientConfig.putNull(clientConfig.has("url") ? "service" : "url");
    webhook.set("clientConfig", clientConfig);
    ApiextensionsV1Api api = new ApiextensionsV1Api(client);
    PatchUtils.patch(
        V1CustomResourceDefinition.class,
        () -> api.patchCustomResourceDefinition(GRAPH_CRD, new V1Patch(patch.toString())).fieldManager(FIELD_MANAGER).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);
    log.info("Registered the conversion webhook. crd={} endpoint={}", GRAPH_CRD, describeEndpoint());
  }

  /** Returns a template with every webhook's clientConfig filled in, keeping each webhook's path. */
  ObjectNode fillTemplate(String template) {
    ObjectNode configuration = readTemplate(template);
    for (JsonNode webhook : configuration.path("webhooks")) {
      String path = webhook.path("clientConfig").path("service").path("path").asText("/");
      ((ObjectNode) webhook).set("clientConfig", endpoint.clientConfig(path, caBundleBase64));
    }
    return configuration;
  }

  private static ObjectNode readTemplate(String template) {
    try (InputStream in = WebhookRegistrar.class.getResourceAsStream(template)) {
      if (in == null) {
        throw new IllegalStateException("webhook template " + template + " is missing from the class path");
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read webhook template " + template, e);
    }
  }

  private String describeEndpoint() {
    return endpoint.baseUrl().orElse(endpoint.serviceNamespace() + "/" + endpoint.serviceName() + ":" + endpoint.servicePort());
  }
}
