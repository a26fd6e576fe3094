package com.petuum.rampart.hub.pki;

import static java.util.Objects.requireNonNull;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the hub CA in the Secret {@value #SECRET_NAME} of the hub's namespace, with keys
 * {@code ca.crt} and {@code ca.key}; {@code rampartctl cluster token create} reads {@code ca.crt}
 * from it to print the CA hash. Thread-safe.
 *
 * <p>The first replica to start creates the CA. Replicas starting together may each generate
 * one, but only one create succeeds (the others get 409 Conflict) and every replica then reads
 * the stored CA, so all of them sign with the same key.
 */
public final class SecretCertificateAuthorityStore {

  public static final String SECRET_NAME = "rampart-hub-ca";
  static final String KEY_CERTIFICATE = "ca.crt";
  static final String KEY_PRIVATE_KEY = "ca.key";

  private static final Logger log = LoggerFactory.getLogger(SecretCertificateAuthorityStore.class);

  private final CoreV1Api api;
  private final String namespace;

  /** Creates a store on the hub apiserver; the caller owns the client. */
  public SecretCertificateAuthorityStore(ApiClient client, String namespace) {
    this.api = new CoreV1Api(requireNonNull(client, "client"));
    this.namespace = requireNonNull(namespace, "namespace");
  }

  /**
   * Returns the stored CA, creating one valid for {@code validity} when the Secret does not exist.
   *
   * @throws IllegalStateException when the apiserver fails, or the Secret lacks a key or has a
   *     key that does not match its certificate
   */
  public CertificateAuthority loadOrCreate(Duration validity, Clock clock) {
    V1Secret existing = read();
    if (existing == null) {
      CertificateAuthority generated = CertificateAuthority.generate("rampart-hub-ca", validity, clock);
      V1Secret secret =
          new V1Secret()
              .metadata(new V1ObjectMeta().name(SECRET_NAME).namespace(namespace))
              .type("Opaque")
              .data(
                  Map.of(
                      KEY_CERTIFICATE, generated.certificatePem().getBytes(StandardCharsets.US_ASCII),
                      KEY_PRIVATE_KEY, generated.privateKeyPem().getBytes(StandardCharsets.US_ASCII)));
      try {
        api.createNamespacedSecret(namespace, secret).execute();
        log.info("Created the hub CA. secret={}/{} pin={}", namespace, SECRET_NAME, generated.pin());
        return generated;
      } catch (ApiException e) {
        if (e.getCode() != 409) {
          throw new IllegalStateException(
              "Failed to create Secret " + namespace + "/" + SECRET_NAME + ": HTTP " + e.getCode(), e);
        }
        existing = read();
      }
    }
    Map<String, byte[]> data = existing == null || existing.getData() == null ? Map.of() : existing.getData();
    byte[] certificate = data.get(KEY_CERTIFICATE);
    byte[] privateKey = data.get(KEY_PRIVATE_KEY);
    if (certificate == null || privateKey == null) {
      throw new IllegalStateException(
          "Secret " + namespace + "/" + SECRET_NAME + " lacks " + KEY_CERTIFICATE + " or " + KEY_PRIVATE_KEY
              + "; delete it to let the hub create a new CA (every agent must then join again)");
    }
    try {
      return CertificateAuthority.fromPem(
          new String(certificate, StandardCharsets.US_ASCII), new String(privateKey, StandardCharsets.US_ASCII), clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Secret " + namespace + "/" + SECRET_NAME + ": " + e.getMessage(), e);
    }
  }

  private V1Secret read() {
    try {
      return api.readNamespacedSecret(SECRET_NAME, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(
          "Failed to read Secret " + namespace + "/" + SECRET_NAME + ": HTTP " + e.getCode(), e);
    }
  }
}
