package com.petuum.rampart.agent.webhook;

import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.server.AdmissionServer;
import com.petuum.rampart.admission.server.AdmissionServers;
import com.petuum.rampart.admission.server.ServingCertificate;
import com.petuum.rampart.admission.server.WebhookSettings;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the member's admission server as the agent runs it: graph validation and conversion, and
 * flow wiring of pods in component namespaces. The serving certificate is generated on every
 * start and its CA is written into the webhook configurations and the CRD.
 */
public final class AgentWebhooks {

  private static final Logger log = LoggerFactory.getLogger(AgentWebhooks.class);

  private AgentWebhooks() {}

  /**
   * Starts and registers the server, or returns empty when {@code settings} disable it. The
   * caller owns the returned server and closes it.
   *
   * @param client the member's apiserver; the caller owns it
   * @throws IllegalStateException when the port cannot be bound or the registration fails
   */
  public static Optional<AdmissionServer> start(ApiClient client, WebhookSettings settings) {
    if (!settings.enabled()) {
      log.info("Webhooks disabled; pods in component namespaces get no flow wiring from this agent.");
      return Optional.empty();
    }
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    try {
      AdmissionServer server = AdmissionServers.startAgent(
          client,
          address,
          ServingCertificate.generate(settings.certificateDnsNames()),
          settings.endpoint(),
          ClusterFacts.DEFAULT_PULSAR_SERVICE_URL,
          ClusterFacts.DEFAULT_GIT_IMAGE);
      log.info("Webhooks started and registered. address={} endpoint={}", server.baseUrl(), settings.describeEndpoint());
      return Optional.of(server);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the webhook server on " + settings.host() + ":" + settings.port()
          + "; choose a free port with --webhook-port", e);
    } catch (ApiException e) {
      throw new IllegalStateException("Cannot register the webhooks on the member apiserver: HTTP " + e.getCode() + " "
          + e.getResponseBody(), e);
    }
  }
}
