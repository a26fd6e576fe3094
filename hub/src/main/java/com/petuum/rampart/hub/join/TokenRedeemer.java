package com.petuum.rampart.hub.join;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.ClusterName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redeems bootstrap tokens: a token is accepted once, before it expires, for the cluster it was
 * created for. Thread-safe.
 *
 * <p>A Join whose response was lost may be retried: the token is accepted again for the same
 * cluster and the same public key, so the agent that redeemed it can still get its certificate,
 * while any other key is refused.
 *
 * <p>Single use is kept under concurrent joins because the final step is the store's
 * compare-and-set: of two joins that both read the token unused, only one marks it used.
 */
public final class TokenRedeemer {

  private static final Logger log = LoggerFactory.getLogger(TokenRedeemer.class);

  private final BootstrapTokenStore store;
  private final Clock clock;

  /** Creates a redeemer; the caller owns the store. */
  public TokenRedeemer(BootstrapTokenStore store, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Checks the token for this cluster and, when it passes, marks it used by the key whose hex
   * SHA-256 is {@code keyHash}.
   */
  public TokenCheck redeem(BootstrapToken token, ClusterName cluster, String keyHash) {
    Optional<StoredToken> found = store.find(token.id());
    if (found.isEmpty()) {
      log.warn("Join rejected: no such token. tokenId={} cluster={}", token.id(), cluster);
      return TokenCheck.rejected(TokenCheck.UNKNOWN);
    }
    StoredToken stored = found.get();

    // Constant-time comparison, so response timing reveals nothing about the secret.
    boolean secretMatches =
        MessageDigest.isEqual(
            stored.secretHash().getBytes(StandardCharsets.US_ASCII),
            token.secretHash().getBytes(StandardCharsets.US_ASCII));
    if (!secretMatches) {
      log.warn("Join rejected: token secret does not match. tokenId={} cluster={}", token.id(), cluster);
      return TokenCheck.rejected(TokenCheck.UNKNOWN);
    }

    Instant now = clock.instant();
    if (!now.isBefore(stored.expiresAt())) {
      log.warn(
          "Join rejected: token expired. tokenId={} cluster={} expiresAt={}",
          token.id(),
          cluster,
          stored.expiresAt());
      return TokenCheck.rejected(TokenCheck.EXPIRED);
    }
    boolean retryBySameAgent =
        stored.usedByKey().map(keyHash::equals).orElse(false) && stored.cluster().equals(cluster);
    if (retryBySameAgent) {
      log.info("Join retried with a used token by the key that used it. tokenId={} cluster={}", token.id(), cluster);
      return TokenCheck.accepted();
    }
    if (stored.usedAt().isPresent()) {
      log.warn(
          "Join rejected: token already used. tokenId={} cluster={} usedAt={}",
          token.id(),
          cluster,
          stored.usedAt().get());
      return TokenCheck.rejected(TokenCheck.USED);
    }
    if (!stored.cluster().equals(cluster)) {
      log.warn(
          "Join rejected: token bound to another cluster. tokenId={} cluster={} boundTo={}",
          token.id(),
          cluster,
          stored.cluster());
      return TokenCheck.rejected(TokenCheck.OTHER_CLUSTER);
    }

    if (!store.markUsed(stored.withUse(now, keyHash))) {
      log.warn("Join rejected: a concurrent join used the token first. tokenId={} cluster={}", token.id(), cluster);
      return TokenCheck.rejected(TokenCheck.USED);
    }
    log.info("Token redeemed. tokenId={} cluster={}", token.id(), cluster);
    return TokenCheck.accepted();
  }
}
