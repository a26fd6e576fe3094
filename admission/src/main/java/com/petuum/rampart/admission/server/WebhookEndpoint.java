package com.petuum.rampart.admission.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The address at which the apiserver calls the webhook server: a base URL (a server outside the
 * cluster, as in tests), or a Service in the cluster. Immutable.
 *
 * @param baseUrl such as {@code https://127.0.0.1:8443}, without a trailing slash
 * @param serviceNamespace the Service's namespace, when no base URL is set
 * @param serviceName the Service's name, when no base URL is set
 * @param servicePort the Service's port, when no base URL is set
 */
public record WebhookEndpoint(Optional<String> baseUrl, String serviceNamespace, String serviceName, int servicePort) {

  public WebhookEndpoint {
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(serviceNamespace, "serviceNamespace");
    requireNonNull(serviceName, "serviceName");
  }

  public static WebhookEndpoint url(String baseUrl) {
    String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (!trimmed.startsWith("https://")) {
      throw new IllegalArgumentException("baseUrl: " + baseUrl + " (expected an https:// URL; the apiserver calls webhooks over TLS only)");
    }
    return new WebhookEndpoint(Optional.of(trimmed), "", "", 0);
  }

  public static WebhookEndpoint service(String namespace, String name, int port) {
    return new WebhookEndpoint(Optional.empty(), namespace, name, port);
  }

  /** Returns a {@code clientConfig} for the given path, with the CA bundle. */
  ObjectNode clientConfig(String path, String caBundleBase64) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    if (baseUrl.isPresent()) {
      config.put("url", baseUrl.get() + path);
    } else {
      config.putObject("service")
          .put("namespace", serviceNamespace)
          .put("name", serviceName)
          .put("port", servicePort)
          .put("path", path);
    }
    config.put("caBundle", caBundleBase64);
    return config;
  }
}
