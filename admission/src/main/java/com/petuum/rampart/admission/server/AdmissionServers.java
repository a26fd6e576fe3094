package com.petuum.rampart.admission.server;

import com.petuum.rampart.admission.mutation.ClusterFacts;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * Starts and registers the admission server the way the hub and the agent run it. Each method
 * starts the server, then writes its address and CA bundle into the cluster. When registration
 * fails, the server is closed again and the error is thrown. The caller owns the returned server
 * and the client.
 */
public final class AdmissionServers {

  private AdmissionServers() {}

  /**
   * Starts the hub's server: validation of graphs and placement policies, with component
   * namespaces checked against the stored graphs, and graph conversion.
   *
   * @param endpoint how the apiserver reaches the server; empty means its own URL, for servers
   *     outside the cluster such as tests
   */
  public static AdmissionServer startHub(
      ApiClient client, InetSocketAddress address, ServingCertificate certificate, Optional<WebhookEndpoint> endpoint)
      throws IOException, ApiException {
    return startAndRegister(hubServer(client, address, certificate), client, endpoint, false);
  }

  /**
   * Starts the hub's server without registering it, for replicas that register only while they
   * lead (see {@link #registerHub}).
   */
  public static AdmissionServer startHubUnregistered(
      ApiClient client, InetSocketAddress address, ServingCertificate certificate) throws IOException {
    AdmissionServer server = hubServer(client, address, certificate);
    server.start();
    return server;
  }

  /** Points the hub's webhook configurations and the graph CRD's conversion at a running server. */
  public static void registerHub(AdmissionServer server, ApiClient client, Optional<WebhookEndpoint> endpoint)
      throws ApiException {
    register(server, client, endpoint, false);
  }

  private static AdmissionServer hubServer(ApiClient client, InetSocketAddress address, ServingCertificate certificate) {
    KubernetesComponentDirectory graphs = new KubernetesComponentDirectory(
        client, ClusterFacts.DEFAULT_PULSAR_SERVICE_URL, ClusterFacts.DEFAULT_GIT_IMAGE, Clock.systemUTC());
    return AdmissionServer.builder(certificate).address(address).namespaceClaims(graphs).build();
  }

  /**
   * Starts an agent's server: validation and conversion of the member's local graphs, and pod
   * wiring in component namespaces.
   *
   * @param endpoint how the apiserver reaches the server; empty means its own URL
   */
  public static AdmissionServer startAgent(
      ApiClient client,
      InetSocketAddress address,
      ServingCertificate certificate,
      Optional<WebhookEndpoint> endpoint,
      String pulsarServiceUrl,
      String gitImage)
      throws IOException, ApiException {
    KubernetesComponentDirectory directory =
        new KubernetesComponentDirectory(client, pulsarServiceUrl, gitImage, Clock.systemUTC());
    AdmissionServer server = AdmissionServer.builder(certificate)
        .address(address)
        .namespaceClaims(directory)
        .podMutation(directory)
        .build();
    return startAndRegister(server, client, endpoint, true);
  }

  private static AdmissionServer startAndRegister(
      AdmissionServer server, ApiClient client, Optional<WebhookEndpoint> endpoint, boolean podMutation)
      throws IOException, ApiException {
    server.start();
    try {
      register(server, client, endpoint, podMutation);
      return server;
    } catch (ApiException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static void register(
      AdmissionServer server, ApiClient client, Optional<WebhookEndpoint> endpoint, boolean podMutation)
      throws ApiException {
    WebhookEndpoint target = endpoint.orElseGet(() -> WebhookEndpoint.url(server.baseUrl()));
    WebhookRegistrar registrar = new WebhookRegistrar(client, target, server.certificate().caBundlePem());
    registrar.registerValidation();
    registrar.registerConversion();
    if (podMutation) {
      registrar.registerPodMutation();
    }
  }
}
