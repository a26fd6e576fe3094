package com.petuum.rampart.bench.protocol;

import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.InMemoryBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.FixedLeadership;
import com.petuum.rampart.hub.membership.InMemoryMemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import com.petuum.rampart.proto.identity.ClusterName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub process for the fleet benchmark: default settings (5 s heartbeats), in-memory stores,
 * 127.0.0.1 on a fixed port. The first run in a directory creates the CA and one token per
 * simulated cluster. Later runs (a hub restart) reuse the CA and recreate the MemberClusters,
 * because an apiserver would have kept them. Prints a stats line every 5 s.
 *
 * <p>Usage: {@code BenchHub DIR PORT AGENTS}
 */
public final class BenchHub {

  private static final Logger log = LoggerFactory.getLogger(BenchHub.class);

  private BenchHub() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int agents = Integer.parseInt(args[2]);
    Clock clock = Clock.systemUTC();
    Files.createDirectories(dir);

    CertificateAuthority authority = loadOrCreateAuthority(dir, clock);
    InMemoryBootstrapTokenStore tokens = new InMemoryBootstrapTokenStore();
    InMemoryMemberClusterStore members = new InMemoryMemberClusterStore();
    Path tokenFile = dir.resolve("tokens.txt");
    if (!Files.exists(tokenFile)) {
      List<String> lines = new ArrayList<>();
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < agents; i++) {
        ClusterName cluster = FleetBenchmark.clusterName(i);
        BootstrapToken token = BootstrapToken.generate(random);
        tokens.create(StoredToken.unused(token, cluster, clock.instant().plus(Duration.ofHours(1))));
        lines.add(cluster.value() + " " + token.text());
      }
      Files.write(tokenFile, lines, StandardCharsets.UTF_8);
    } else {
      for (int i = 0; i < agents; i++) {
        members.add(FleetBenchmark.clusterName(i));
      }
    }

    FederationServer server =
        FederationServer.builder(
                authority,
                authority.issueServingCertificate(List.of("127.0.0.1"), Duration.ofDays(1)),
                HubSettings.defaults(List.of("127.0.0.1:" + port)))
            .tokens(tokens)
            .members(members)
            .leadership(FixedLeadership.leader(new Epoch(1)))
            .clock(clock)
            .port(port)
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Files.writeString(dir.resolve("hub-ready"), Instant.now().toString());

    ProcessStats stats = new ProcessStats();
    long lastCpu = stats.cpuNanos();
    long lastWall = System.nanoTime();
    while (true) {
      TimeUnit.SECONDS.sleep(5);
      long cpu = stats.cpuNanos();
      long wall = System.nanoTime();
      log.info(
          "hub connected={} heapUsedMiB={} heapCommittedMiB={} cpuCores={}",
          server.connectedAgentCount(),
          ProcessStats.mebibytes(stats.heapUsedBytes()),
          ProcessStats.mebibytes(stats.heapCommittedBytes()),
          String.format("%.3f", (double) (cpu - lastCpu) / (wall - lastWall)));
      lastCpu = cpu;
      lastWall = wall;
    }
  }

  private static CertificateAuthority loadOrCreateAuthority(Path dir, Clock clock) throws IOException {
    Path certificate = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    if (Files.exists(certificate)) {
      return CertificateAuthority.fromPem(Files.readString(certificate), Files.readString(key), clock);
    }
    CertificateAuthority authority = CertificateAuthority.generate("bench-hub-ca", Duration.ofDays(1), clock);
    Files.writeString(certificate, authority.certificatePem());
    Files.writeString(key, authority.privateKeyPem());
    return authority;
  }
}
