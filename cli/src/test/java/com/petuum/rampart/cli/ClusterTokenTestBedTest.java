package com.petuum.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.join.TokenCheck;
import com.petuum.rampart.hub.join.TokenRedeemer;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.testbed.KubeCluster;
import com.petuum.rampart.testbed.KubectlResult;
import com.petuum.rampart.testbed.TestBed;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs {@code cluster token create} against a real hub apiserver and redeems the token there. */
class ClusterTokenTestBedTest {

  @Test
  void createdTokenIsSecretRedeemedOnce() throws Exception {
    CertificateAuthority authority = CertificateAuthority.generate("rampart-hub-ca", Duration.ofDays(1), Clock.systemUTC());
    try (TestBed bed = TestBed.builder("cluster-token").hub("hub").start()) {
      KubeCluster hub = bed.cluster("hub");
      hub.applyYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: rampart-system}\n");
      String caSecret =
          "apiVersion: v1\nkind: Secret\nmetadata: {name: rampart-hub-ca, namespace: rampart-system}\n"
              + "data:\n  ca.crt: "
              + Base64.getEncoder().encodeToString(authority.certificatePem().getBytes(StandardCharsets.US_ASCII))
              + "\n";
      hub.applyYaml(caSecret);

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine commandLine = RampartCtl.newCommandLine();
      commandLine.setOut(new PrintWriter(out));
      commandLine.setErr(new PrintWriter(err));
      int exit =
          commandLine.execute(
              "cluster", "token", "create",
              "--cluster", "gpu-east",
              "--ttl", "10m",
              "--hub-address", "127.0.0.1:7443",
              "--kubeconfig", hub.kubeconfig().toString(),
              "-o", "json");

      assertThat(exit).as("stderr: %s", err).isZero();
      JsonNode printed = new ObjectMapper().readTree(out.toString());
      assertThat(printed.get("caHash").asText()).isEqualTo(authority.pin().value());
      BootstrapToken token = BootstrapToken.parse(printed.get("token").asText());
      KubectlResult secret =
          hub.kubectl("get", "secret", "-n", "rampart-system", SecretBootstrapTokenStore.NAME_PREFIX + token.id(), "-o", "json");
      assertThat(secret.succeeded()).isTrue();
      JsonNode stored = new ObjectMapper().readTree(secret.stdout());
      assertThat(stored.get("type").asText()).isEqualTo(SecretBootstrapTokenStore.SECRET_TYPE);
      assertThat(stored.get("data").toString()).doesNotContain(token.secret());

      // Eight joins race for the token on the real apiserver; its resourceVersion lets one win.
      ApiClient client;
      try (Reader reader = Files.newBufferedReader(hub.kubeconfig())) {
        client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      }
      TokenRedeemer redeemer = new TokenRedeemer(new SecretBootstrapTokenStore(client, "rampart-system"), Clock.systemUTC());
      int joiners = 8;
      CyclicBarrier start = new CyclicBarrier(joiners);
      ExecutorService pool = Executors.newFixedThreadPool(joiners);
      try {
        List<Future<TokenCheck>> results = new ArrayList<>();
        for (int i = 0; i < joiners; i++) {
          String keyHash = String.format("%064x", i);
          results.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return redeemer.redeem(token, new ClusterName("gpu-east"), keyHash);
          }));
        }
        int accepted = 0;
        for (Future<TokenCheck> result : results) {
          if (result.get(60, TimeUnit.SECONDS) instanceof TokenCheck.Accepted) {
            accepted++;
          }
        }
        assertThat(accepted).isEqualTo(1);
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      StoredToken used = new SecretBootstrapTokenStore(client, "rampart-system").find(token.id()).orElseThrow();
      assertThat(used.usedAt()).isPresent();
    }
  }
}
