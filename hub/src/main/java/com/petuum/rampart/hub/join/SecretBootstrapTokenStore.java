package com.petuum.rampart.hub.join;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.ClusterName;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stores bootstrap tokens as Secrets of type {@value #SECRET_TYPE} in the hub's namespace, one
 * Secret per token, named {@code rampart-bootstrap-token-<id>}. Thread-safe.
 *
 * <p>{@link #markUsed} replaces the Secret with the resourceVersion it read, so the apiserver
 * rejects the second of two concurrent redemptions with 409 Conflict. Used tokens stay as
 * Secrets, so that a reused token is reported as used rather than unknown; deleting the Secret
 * revokes an unused token.
 */
public final class SecretBootstrapTokenStore implements BootstrapTokenStore {

  public static final String SECRET_TYPE = "rampart.petuum.com/bootstrap-token";
  public static final String NAME_PREFIX = "rampart-bootstrap-token-";
  static final String KEY_ID = "token-id";
  static final String KEY_CLUSTER = "cluster";
  static final String KEY_SECRET_HASH = "token-secret-sha256";
  static final String KEY_EXPIRATION = "expiration";
  static final String KEY_USED_AT = "used-at";
  static final String KEY_USED_BY_KEY = "used-by-key-sha256";

  private final CoreV1Api api;
  private final String namespace;

  /** Creates a store on the hub apiserver; the caller owns the client. */
  public SecretBootstrapTokenStore(ApiClient client, String namespace) {
    this.api = new CoreV1Api(requireNonNull(client, "client"));
    this.namespace = requireNonNull(namespace, "namespace");
  }

  @Override
  public void create(StoredToken token) {
    V1Secret secret =
        new V1Secret()
            .metadata(
                new V1ObjectMeta()
                    .name(NAME_PREFIX + token.id())
                    .namespace(namespace)
                    .putLabelsItem("rampart.petuum.com/cluster", token.cluster().value()))
            .type(SECRET_TYPE)
            .data(encode(token));
    try {
      api.createNamespacedSecret(namespace, secret).execute();
    } catch (ApiException e) {
      throw new IllegalStateException(
          "Failed to create Secret "
              + namespace
              + "/"
              + NAME_PREFIX
              + token.id()
              + ": HTTP "
              + e.getCode()
              + " "
              + e.getResponseBody(),
          e);
    }
  }

  @Override
  public Optional<StoredToken> find(String id) {
    V1Secret secret;
    try {
      secret = api.readNamespacedSecret(NAME_PREFIX + id, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "Failed to read Secret " + namespace + "/" + NAME_PREFIX + id + ": HTTP " + e.getCode(), e);
    }
    if (!SECRET_TYPE.equals(secret.getType()) || secret.getData() == null) {
      return Optional.empty();
    }
    return Optional.of(decode(secret));
  }

  @Override
  public boolean markUsed(StoredToken used) {
    V1Secret secret =
        new V1Secret()
            .metadata(
                new V1ObjectMeta()
                    .name(NAME_PREFIX + used.id())
                    .namespace(namespace)
                    .resourceVersion(used.version())
                    .putLabelsItem("rampart.petuum.com/cluster", used.cluster().value()))
            .type(SECRET_TYPE)
            .data(encode(used));
    try {
      api.replaceNamespacedSecret(NAME_PREFIX + used.id(), namespace, secret).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return false;
      }
      throw new IllegalStateException(
          "Failed to mark token " + used.id() + " used: HTTP " + e.getCode(), e);
    }
  }

  private static Map<String, byte[]> encode(StoredToken token) {
    Map<String, byte[]> data = new HashMap<>();
    data.put(KEY_ID, bytes(token.id()));
    data.put(KEY_CLUSTER, bytes(token.cluster().value()));
    data.put(KEY_SECRET_HASH, bytes(token.secretHash()));
    data.put(KEY_EXPIRATION, bytes(token.expiresAt().toString()));
    token.usedAt().ifPresent(at -> data.put(KEY_USED_AT, bytes(at.toString())));
    token.usedByKey().ifPresent(key -> data.put(KEY_USED_BY_KEY, bytes(key)));
    return data;
  }

  private static StoredToken decode(V1Secret secret) {
    Map<String, byte[]> data = secret.getData();
    String name = secret.getMetadata().getName();
    return new StoredToken(
        text(data, KEY_ID, name),
        new ClusterName(text(data, KEY_CLUSTER, name)),
        text(data, KEY_SECRET_HASH, name),
        Instant.parse(text(data, KEY_EXPIRATION, name)),
        Optional.ofNullable(data.get(KEY_USED_AT))
            .map(value -> Instant.parse(new String(value, StandardCharsets.UTF_8))),
        Optional.ofNullable(data.get(KEY_USED_BY_KEY))
            .map(value -> new String(value, StandardCharsets.UTF_8)),
        secret.getMetadata().getResourceVersion());
  }

  private static String text(Map<String, byte[]> data, String key, String secretName) {
    byte[] value = data.get(key);
    if (value == null) {
      throw new IllegalStateException(
          "Secret " + secretName + " has no data key " + key + " (expected: a token Secret written by rampartctl)");
    }
    return new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
