package com.petuum.rampart.testbed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.testbed.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A minimal JSON client for one test cluster's kube-apiserver, authenticated with a client
 * certificate. The test bed uses it for readiness checks, nodes and volumes; product code uses
 * the Kubernetes Java client instead.
 *
 * <p>Thread-safe.
 */
public final class KubeApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final HttpClient http;

  KubeApi(URI server, X509Certificate clusterCa, IssuedCertificate client) {
    this.server = requireNonNull(server, "server");
    this.http =
        HttpClient.newBuilder()
            .sslContext(sslContext(clusterCa, client))
            // The JDK client's HTTP/2 connections get GOAWAY from kube-apiserver at once.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The result of one request: the HTTP status and the parsed body (empty object when none). */
  public record Response(int status, JsonNode body) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(server.resolve(path)).GET());
  }

  public Response post(String path, Object body) {
    return send(HttpRequest.newBuilder(server.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(write(body))));
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(server.resolve(path)).DELETE());
  }

  /** Sends a JSON merge patch. */
  public Response mergePatch(String path, Object patch) {
    return send(HttpRequest.newBuilder(server.resolve(path))
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(write(patch))));
  }

  /**
   * Posts like {@link #post}, but throws unless the status is 2xx or 409 Conflict (the
   * object exists already).
   */
  public JsonNode create(String path, Object body) {
    Response response = post(path, body);
    if (!response.isSuccess() && response.status() != 409) {
      throw new IllegalStateException(
          "POST " + server.resolve(path) + " failed with HTTP " + response.status() + ": " + response.body());
    }
    return response.body();
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      JsonNode parsed = body == null || body.isBlank() ? JSON.createObjectNode() : parseOrText(body);
      return new Response(response.statusCode(), parsed);
    } catch (IOException e) {
      throw new UncheckedIOException("Request to " + server + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling " + server, e);
    }
  }

  private static JsonNode parseOrText(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static String write(Object body) {
    if (body instanceof String text) {
      return text;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a request body as JSON", e);
    }
  }

  static SSLContext sslContext(X509Certificate trusted, IssuedCertificate client) {
    try {
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("ca", trusted);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);

      SSLContext context = SSLContext.getInstance("TLS");
      if (client == null) {
        context.init(null, trust.getTrustManagers(), null);
        return context;
      }
      char[] password = "testbed".toCharArray();
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(
          "client", client.keyPair().getPrivate(), password, new Certificate[] {client.certificate()});
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, password);
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build a TLS context for the test cluster", e);
    }
  }
}
