package com.petuum.rampart.hub.join;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.ClusterName;
import java.time.Instant;
import java.util.Optional;

/**
 * A bootstrap token as the hub stores it. Immutable.
 *
 * @param id the public part of the token
 * @param cluster the only cluster that may join with it
 * @param secretHash hex SHA-256 of the token's secret
 * @param expiresAt the instant after which the token is refused
 * @param usedAt when a Join redeemed it, empty while unused
 * @param usedByKey hex SHA-256 of the public key that redeemed it, empty while unused. The same
 *     agent can then retry a Join whose response it lost.
 * @param version the store's version of this record, for compare-and-set; an apiserver
 *     resourceVersion, or a counter in memory
 */
public record StoredToken(
    String id,
    ClusterName cluster,
    String secretHash,
    Instant expiresAt,
    Optional<Instant> usedAt,
    Optional<String> usedByKey,
    String version) {

  public StoredToken {
    requireNonNull(id, "id");
    requireNonNull(cluster, "cluster");
    requireNonNull(secretHash, "secretHash");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(usedAt, "usedAt");
    requireNonNull(usedByKey, "usedByKey");
    requireNonNull(version, "version");
  }

  /** Returns a new unused token record for the given token. */
  public static StoredToken unused(BootstrapToken token, ClusterName cluster, Instant expiresAt) {
    return new StoredToken(token.id(), cluster, token.secretHash(), expiresAt, Optional.empty(), Optional.empty(), "");
  }

  public StoredToken withUse(Instant at, String keyHash) {
    return new StoredToken(
        id, cluster, secretHash, expiresAt, Optional.of(at), Optional.of(keyHash), version);
  }

  public StoredToken withVersion(String newVersion) {
    return new StoredToken(id, cluster, secretHash, expiresAt, usedAt, usedByKey, newVersion);
  }
}
