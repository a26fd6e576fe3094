package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

  @Test
  void portZeroDisablesWebhooks() {
    WebhookSettings settings = WebhookSettings.fromOptions(0, "0.0.0.0", null, null);

    assertThat(settings.enabled()).isFalse();
  }

  @Test
  void urlBecomesEndpoint() {
    WebhookSettings settings = WebhookSettings.fromOptions(9443, "0.0.0.0", "https://127.0.0.1:9443/", null);

    assertThat(settings.endpoint()).contains(WebhookEndpoint.url("https://127.0.0.1:9443"));
    assertThat(settings.certificateDnsNames()).isEmpty();
    assertThat(settings.describeEndpoint()).isEqualTo("https://127.0.0.1:9443");
  }

  @Test
  void urlWithDnsNameGoesIntoCertificate() {
    WebhookSettings settings = WebhookSettings.fromOptions(9443, "0.0.0.0", "https://agent.example:9443", null);

    assertThat(settings.certificateDnsNames()).containsExactly("agent.example");
  }

  @Test
  void serviceBecomesEndpointAndDnsNames() {
    WebhookSettings settings =
        WebhookSettings.fromOptions(9443, "0.0.0.0", null, "rampart-system/rampart-agent-webhook:443");

    assertThat(settings.endpoint()).contains(WebhookEndpoint.service("rampart-system", "rampart-agent-webhook", 443));
    assertThat(settings.certificateDnsNames()).contains("rampart-agent-webhook.rampart-system.svc");
    assertThat(settings.describeEndpoint()).isEqualTo("rampart-system/rampart-agent-webhook:443");
  }

  @Test
  void loopbackHostNeedsNoEndpoint() {
    WebhookSettings settings = WebhookSettings.fromOptions(18443, "127.0.0.1", null, null);

    assertThat(settings.endpoint()).isEmpty();
    assertThat(settings.describeEndpoint()).isEqualTo("https://127.0.0.1:18443");
  }

  @Test
  void invalidOptionsAreRejectedWithFlagAndValue() {
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "0.0.0.0", null, null))
        .hasMessageContaining("--webhook-host: 0.0.0.0");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "::", null, null))
        .hasMessageContaining("--webhook-host: ::");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "127.0.0.1", "http://127.0.0.1:9443", null))
        .hasMessageContaining("--webhook-url: http://127.0.0.1:9443");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "0.0.0.0", "https://10.0.0.5:9443", null))
        .hasMessageContaining("--webhook-url: https://10.0.0.5:9443")
        .hasMessageContaining("DNS name");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "0.0.0.0", null, "rampart-agent-webhook:443"))
        .hasMessageContaining("--webhook-service: rampart-agent-webhook:443")
        .hasMessageContaining("NAMESPACE/NAME:PORT");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "0.0.0.0", null, "ns/name:70000"))
        .hasMessageContaining("--webhook-service: ns/name:70000");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(9443, "0.0.0.0", "https://a.example", "ns/name:443"))
        .hasMessageContaining("at most one");
    assertThatThrownBy(() -> WebhookSettings.fromOptions(70000, "127.0.0.1", null, null))
        .hasMessageContaining("--webhook-port: 70000");
  }
}
