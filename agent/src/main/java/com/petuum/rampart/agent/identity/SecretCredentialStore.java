package com.petuum.rampart.agent.identity;

import static java.util.Objects.requireNonNull;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the agent's credentials in a Secret of its own cluster: {@code tls.key}, {@code tls.crt},
 * {@code ca.crt} and {@code hub-endpoints} (comma-separated). Thread-safe.
 */
public final class SecretCredentialStore implements CredentialStore {

  private final CoreV1Api api;
  private final String namespace;
  private final String name;

  /** Creates a store for the Secret {@code namespace/name}; the caller owns the client. */
  public SecretCredentialStore(ApiClient client, String namespace, String name) {
    this.api = new CoreV1Api(requireNonNull(client, "client"));
    this.namespace = requireNonNull(namespace, "namespace");
    this.name = requireNonNull(name, "name");
  }

  @Override
  public Optional<AgentCredentials> load() {
    V1Secret secret;
    try {
      secret = api.readNamespacedSecret(name, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "Failed to read Secret " + namespace + "/" + name + ": HTTP " + e.getCode(), e);
    }
    Map<String, byte[]> data = secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey("tls.key") || !data.containsKey("tls.crt") || !data.containsKey("ca.crt")) {
      return Optional.empty();
    }
    String endpoints = text(data.getOrDefault("hub-endpoints", new byte[0]));
    return Optional.of(
        new AgentCredentials(
            text(data.get("tls.key")),
            text(data.get("tls.crt")),
            text(data.get("ca.crt")),
            endpoints.isEmpty() ? List.of() : Arrays.asList(endpoints.split(","))));
  }

  @Override
  public void save(AgentCredentials credentials) {
    Map<String, byte[]> data = new HashMap<>();
    data.put("tls.key", bytes(credentials.privateKeyPem()));
    data.put("tls.crt", bytes(credentials.certificatePem()));
    data.put("ca.crt", bytes(credentials.caBundlePem()));
    data.put("hub-endpoints", bytes(String.join(",", credentials.hubEndpoints())));
    V1Secret secret =
        new V1Secret()
            .metadata(new V1ObjectMeta().name(name).namespace(namespace))
            .type("Opaque")
            .data(data);
    try {
      api.replaceNamespacedSecret(name, namespace, secret).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw new IllegalStateException(
            "Failed to write Secret " + namespace + "/" + name + ": HTTP " + e.getCode(), e);
      }
      try {
        api.createNamespacedSecret(namespace, secret).execute();
      } catch (ApiException createFailure) {
        throw new IllegalStateException(
            "Failed to create Secret " + namespace + "/" + name + ": HTTP " + createFailure.getCode(),
            createFailure);
      }
    }
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
