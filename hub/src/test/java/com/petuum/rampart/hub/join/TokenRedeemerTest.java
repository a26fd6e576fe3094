package com.petuum.rampart.hub.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.petuum.rampart.hub.testing.MutableClock;
import com.petuum.rampart.proto.identity.ClusterName;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenRedeemerTest {

  private static final ClusterName M1 = new ClusterName("m1");
  private static final String KEY_A = "a".repeat(64);
  private static final String KEY_B = "b".repeat(64);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InMemoryBootstrapTokenStore store = new InMemoryBootstrapTokenStore();
  private final TokenRedeemer redeemer = new TokenRedeemer(store, clock);
  private final BootstrapToken token = BootstrapToken.generate(new SecureRandom());

  private void storeToken(ClusterName cluster, Duration ttl) {
    store.create(StoredToken.unused(token, cluster, clock.instant().plus(ttl)));
  }

  @Test
  void acceptsValidTokenOnce() {
    storeToken(M1, Duration.ofHours(1));

    TokenCheck first = redeemer.redeem(token, M1, KEY_A);
    TokenCheck second = redeemer.redeem(token, M1, KEY_B);

    assertThat(first).isEqualTo(TokenCheck.accepted());
    assertThat(second).isEqualTo(TokenCheck.rejected(TokenCheck.USED));
  }

  @Test
  void acceptsRetryBySameKey() {
    storeToken(M1, Duration.ofHours(1));

    redeemer.redeem(token, M1, KEY_A);
    TokenCheck retry = redeemer.redeem(token, M1, KEY_A);

    assertThat(retry).isEqualTo(TokenCheck.accepted());
  }

  @Test
  void rejectsUnknownToken() {
    assertThat(redeemer.redeem(token, M1, KEY_A)).isEqualTo(TokenCheck.rejected(TokenCheck.UNKNOWN));
  }

  @Test
  void rejectsWrongSecretAsUnknown() {
    storeToken(M1, Duration.ofHours(1));
    BootstrapToken guessed = new BootstrapToken(token.id(), "0123456789abcdef");

    assertThat(redeemer.redeem(guessed, M1, KEY_A)).isEqualTo(TokenCheck.rejected(TokenCheck.UNKNOWN));
  }

  @Test
  void rejectsExpiredToken() {
    storeToken(M1, Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10));

    assertThat(redeemer.redeem(token, M1, KEY_A)).isEqualTo(TokenCheck.rejected(TokenCheck.EXPIRED));
  }

  @Test
  void rejectsTokenOfOtherCluster() {
    storeToken(new ClusterName("m2"), Duration.ofHours(1));

    assertThat(redeemer.redeem(token, M1, KEY_A)).isEqualTo(TokenCheck.rejected(TokenCheck.OTHER_CLUSTER));
  }

  @Test
  void rejectsRetryByOtherClusterWithSameKey() {
    storeToken(M1, Duration.ofHours(1));
    redeemer.redeem(token, M1, KEY_A);

    assertThat(redeemer.redeem(token, new ClusterName("m2"), KEY_A))
        .isEqualTo(TokenCheck.rejected(TokenCheck.USED));
  }

  @Test
  void concurrentJoinsRedeemOnce() throws Exception {
    storeToken(M1, Duration.ofHours(1));
    int joiners = 16;
    CyclicBarrier start = new CyclicBarrier(joiners);
    ExecutorService pool = Executors.newFixedThreadPool(joiners);
    try {
      List<Future<TokenCheck>> results = new ArrayList<>();
      for (int i = 0; i < joiners; i++) {
        String key = String.format("%064x", i);
        Callable<TokenCheck> join = () -> {
          start.await(10, TimeUnit.SECONDS);
          return redeemer.redeem(token, M1, key);
        };
        results.add(pool.submit(join));
      }

      int accepted = 0;
      for (Future<TokenCheck> result : results) {
        if (result.get(10, TimeUnit.SECONDS) instanceof TokenCheck.Accepted) {
          accepted++;
        }
      }

      assertThat(accepted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void parseRejectsMalformedTokenWithoutEchoingIt() {
    assertThatThrownBy(() -> BootstrapToken.parse("abcdef.secretsecret!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed")
        .hasMessageNotContaining("secretsecret");
  }

  @Test
  void toStringHidesSecret() {
    assertThat(token.toString()).doesNotContain(token.secret()).contains(token.id());
  }
}
