package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookRegistrarTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void fillsUrlAndCaBundleKeepingPaths() {
    WebhookRegistrar registrar = new WebhookRegistrar(new ApiClient(), WebhookEndpoint.url("https://127.0.0.1:8443/"), CA);

    ObjectNode validating = registrar.fillTemplate(WebhookRegistrar.VALIDATING_TEMPLATE);
    ObjectNode mutating = registrar.fillTemplate(WebhookRegistrar.MUTATING_TEMPLATE);

    JsonNode validatingConfig = validating.path("webhooks").get(0).path("clientConfig");
    assertThat(validatingConfig.path("url").asText()).isEqualTo("https://127.0.0.1:8443/validate");
    assertThat(validatingConfig.has("service")).isFalse();
    assertThat(new String(Base64.getDecoder().decode(validatingConfig.path("caBundle").asText()), StandardCharsets.US_ASCII))
        .isEqualTo(CA);
    assertThat(mutating.path("webhooks").get(0).path("clientConfig").path("url").asText())
        .isEqualTo("https://127.0.0.1:8443/mutate/pod");
    assertThat(validating.path("webhooks").get(0).path("rules").get(0).path("resources").toString())
        .contains("rampartgraphs", "placementpolicies");
  }

  @Test
  void fillsServiceReference() {
    WebhookRegistrar registrar =
        new WebhookRegistrar(new ApiClient(), WebhookEndpoint.service("rampart-system", "rampart-hub-webhook", 9443), CA);

    JsonNode service = registrar.fillTemplate(WebhookRegistrar.MUTATING_TEMPLATE)
        .path("webhooks").get(0).path("clientConfig").path("service");

    assertThat(service.path("namespace").asText()).isEqualTo("rampart-system");
    assertThat(service.path("name").asText()).isEqualTo("rampart-hub-webhook");
    assertThat(service.path("port").asInt()).isEqualTo(9443);
    assertThat(service.path("path").asText()).isEqualTo("/mutate/pod");
  }

  @Test
  void rejectsPlainHttpEndpoint() {
    assertThatThrownBy(() -> WebhookEndpoint.url("http://127.0.0.1:8443"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an https:// URL");
  }
}
