package com.petuum.rampart.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.HubChannels;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.hub.dispatch.WorkId;
import com.petuum.rampart.hub.dispatch.WorkItem;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.join.TokenCheck;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.testing.CountingApplier;
import com.petuum.rampart.hub.testing.MutableClock;
import com.petuum.rampart.hub.testing.ProtocolHarness;
import com.petuum.rampart.hub.testing.RawStream;
import com.petuum.rampart.proto.identity.CertificateRequests;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.proto.v1.Ack;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.Heartbeat;
import com.petuum.rampart.proto.v1.Hello;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.JoinRequest;
import com.petuum.rampart.proto.v1.WorkKey;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each test attacks the hub and then checks that a well-behaved agent still gets its work:
 * refused, and the hub keeps serving others.
 */
class SecurityTest {

  private static final ClusterName GOOD = new ClusterName("good");
  private static final ClusterName M1 = new ClusterName("m1");
  private static final ClusterName M2 = new ClusterName("m2");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ProtocolHarness harness = new ProtocolHarness();
  private final CountingApplier goodApplier = new CountingApplier();
  private HubClient good;
  private int nextGraph;

  @BeforeEach
  void startHubWithGoodAgent() throws Exception {
    harness.start();
    good = harness.startAgent(GOOD, goodApplier);
    await().atMost(WAIT).until(good::isConnected);
  }

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  /** Asserts that the good agent still connects and receives new work. */
  private void assertHubStillServes() {
    int graph = nextGraph++;
    harness.dispatcher.assign(
        GOOD, WorkItem.of(new WorkId("good-" + graph, "ml", "g"), 1, ByteString.copyFromUtf8("{}")));
    await().atMost(WAIT).until(() -> goodApplier.applyCount("good-" + graph, 1) == 1);
  }

  private ManagedChannel mutualTlsChannel(AgentCredentials credentials) {
    return HubChannels.forConnect(harness.address(), credentials, 4 * 1024 * 1024);
  }

  private static Hello hello() {
    return Hello.newBuilder().setAgentVersion("raw").build();
  }

  @Test
  void plaintextCallFails() {
    long failuresBefore = harness.server.failedConnectionCount();
    ManagedChannel plaintext =
        Grpc.newChannelBuilderForAddress("127.0.0.1", harness.port(), InsecureChannelCredentials.create()).build();
    try {
      assertThatThrownBy(
              () -> FederationGrpc.newBlockingStub(plaintext)
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .join(JoinRequest.newBuilder().setClusterName("m1").build()))
          .isInstanceOf(StatusRuntimeException.class)
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      plaintext.shutdownNow();
    }

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.server.failedConnectionCount()).isGreaterThan(failuresBefore));
    assertHubStillServes();
  }

  @Test
  void clientCertificateFromAnotherCaIsRejected() {
    CertificateAuthority rogue = CertificateAuthority.generate("rogue", Duration.ofDays(1), Clock.systemUTC());
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    X509Certificate certificate =
        rogue.signClientCertificate(CertificateRequests.createPem(keyPair, M1), M1, Duration.ofDays(1));
    AgentCredentials forged =
        new AgentCredentials(
            Pem.encodePrivateKey(keyPair.getPrivate()),
            Pem.encode(certificate),
            harness.authority.certificatePem(),
            List.of());
    harness.members.add(M1);

    try (RawStream stream = new RawStream(mutualTlsChannel(forged))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      // The hub's certificate request names only its own CA, so the TLS client may withhold the
      // rogue certificate and get UNAUTHENTICATED from the hub. If it sends the certificate, the
      // handshake fails with UNAVAILABLE. Either way no stream opens.
      assertThat(stream.endedWith().getCode()).isIn(Status.Code.UNAUTHENTICATED, Status.Code.UNAVAILABLE);
      assertThat(stream.received).isEmpty();
    }
    assertThat(harness.server.isConnected(M1)).isFalse();
    assertHubStillServes();
  }

  @Test
  void expiredClientCertificateIsRejected() {
    // A CA whose clock is two days behind signs a certificate valid for one day.
    MutableClock past = new MutableClock(Instant.now().minus(Duration.ofDays(2)));
    CertificateAuthority backdated =
        CertificateAuthority.fromPem(harness.authority.certificatePem(), harness.authority.privateKeyPem(), past);
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    X509Certificate expired =
        backdated.signClientCertificate(CertificateRequests.createPem(keyPair, M1), M1, Duration.ofDays(1));
    harness.members.add(M1);
    AgentCredentials credentials =
        new AgentCredentials(
            Pem.encodePrivateKey(keyPair.getPrivate()), Pem.encode(expired), harness.authority.certificatePem(), List.of());

    try (RawStream stream = new RawStream(mutualTlsChannel(credentials))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(harness.server.isConnected(M1)).isFalse();
    assertHubStillServes();
  }

  @Test
  void connectWithoutClientCertificateIsUnauthenticated() {
    ManagedChannel channel = HubChannels.forJoin(harness.address(), harness.authority.pin(), harness.clock);
    try (RawStream stream = new RawStream(channel)) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(stream.endedWith().getDescription()).contains("requires a client certificate");
    }
    assertHubStillServes();
  }

  @Test
  void expiredTokenIsRejected() {
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());
    harness.tokens.create(StoredToken.unused(token, M1, Instant.now().minusSeconds(1)));

    assertJoinRejected(M1, token.text(), TokenCheck.EXPIRED);
    assertHubStillServes();
  }

  @Test
  void reusedTokenIsRejected() {
    String token = harness.createToken(M1);
    new Joiner(harness.clock, "test").join(harness.address(), harness.authority.pin(), M1, token);

    assertJoinRejected(M1, token, TokenCheck.USED);
    assertHubStillServes();
  }

  @Test
  void tokenOfAnotherClusterIsRejected() {
    String token = harness.createToken(M2);

    assertJoinRejected(M1, token, TokenCheck.OTHER_CLUSTER);
    assertThat(harness.members.exists(M1)).isFalse();
    assertHubStillServes();
  }

  @Test
  void malformedTokenIsInvalidArgument() {
    assertThatThrownBy(
            () -> new Joiner(harness.clock, "test").join(harness.address(), harness.authority.pin(), M1, "not-a-token"))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> {
          Status status = ((StatusRuntimeException) e).getStatus();
          assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(status.getDescription()).contains("bootstrap_token: malformed");
        });
  }

  @Test
  void wrongCaPinRefusesToJoin() {
    CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1), Clock.systemUTC());
    String token = harness.createToken(M1);

    assertThatThrownBy(() -> new Joiner(harness.clock, "test").join(harness.address(), other.pin(), M1, token))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    // The token was never presented, so the right hub can still redeem it.
    assertThat(harness.tokens.find(BootstrapToken.parse(token).id()).orElseThrow().usedAt()).isEmpty();
  }

  @Test
  void revokedClusterCannotConnect() {
    AgentCredentials credentials = harness.join(M1);
    harness.members.delete(M1);

    try (RawStream stream = new RawStream(mutualTlsChannel(credentials))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
    assertHubStillServes();
  }

  @Test
  void ackOfAnotherClustersWorkChangesNothing() {
    WorkItem m1Work = WorkItem.of(new WorkId("uid-m1", "ml", "m1-graph"), 1, ByteString.copyFromUtf8("{}"));
    harness.dispatcher.assign(M1, m1Work);
    AgentCredentials m2 = harness.join(M2);

    try (RawStream stream = new RawStream(mutualTlsChannel(m2))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());
      await().atMost(WAIT).until(() -> !stream.received.isEmpty());
      stream.send(
          AgentMessage.newBuilder()
              .setAck(Ack.newBuilder().setKey(m1Work.id().toProto()).setGeneration(1).setEpoch(1))
              .build());
      stream.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());

      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
          .until(() -> harness.dispatcher.unacknowledgedCount(M1) == 1);
      assertThat(stream.received).noneMatch(message -> message.hasWorkUpsert());
    }
    assertHubStillServes();
  }

  @Test
  void oversizedMessageEndsOnlyThatStream() {
    AgentCredentials m1 = harness.join(M1);
    Inventory.Builder huge = Inventory.newBuilder();
    String value = "x".repeat(1024);
    for (int i = 0; i < harness.settings.maxMessageBytes() / 1024 + 10; i++) {
      huge.putTopologyLabels("label-" + i, value);
    }

    try (RawStream stream = new RawStream(mutualTlsChannel(m1))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());
      stream.send(AgentMessage.newBuilder().setInventory(huge).build());

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    }
    assertThat(good.isConnected()).isTrue();
    assertHubStillServes();
  }

  @Test
  void floodingAgentLosesItsStream() {
    AgentCredentials m1 = harness.join(M1);

    try (RawStream stream = new RawStream(mutualTlsChannel(m1))) {
      stream.send(AgentMessage.newBuilder().setHello(hello()).build());
      for (int i = 0; i < harness.settings.agentMessageBurst() * 2; i++) {
        stream.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
      }

      await().atMost(WAIT).until(() -> stream.endedWith() != null);
      assertThat(stream.endedWith().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(stream.endedWith().getDescription()).contains("messages per second");
    }
    assertHubStillServes();
  }

  @Test
  void randomBytesOnPortAreDropped() throws Exception {
    long failuresBefore = harness.server.failedConnectionCount();
    Random random = new Random(1);
    for (int connection = 0; connection < 5; connection++) {
      try (Socket socket = new Socket("127.0.0.1", harness.port())) {
        socket.setSoTimeout(15_000);
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        OutputStream out = socket.getOutputStream();
        out.write(noise);
        out.flush();

        // The hub closes the connection; read returns -1 or the reset surfaces as an exception.
        InputStream in = socket.getInputStream();
        int read;
        try {
          do {
            read = in.read(noise);
          } while (read >= 0);
        } catch (java.net.SocketException reset) {
          read = -1;
        }
        assertThat(read).isEqualTo(-1);
      }
    }
    // Each dropped connection is counted and logged.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.server.failedConnectionCount() - failuresBefore).isGreaterThanOrEqualTo(5));
    assertHubStillServes();
  }

  private void assertJoinRejected(ClusterName cluster, String token, String reason) {
    assertThatThrownBy(
            () -> new Joiner(harness.clock, "test").join(harness.address(), harness.authority.pin(), cluster, token))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> {
          Status status = ((StatusRuntimeException) e).getStatus();
          assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(status.getDescription()).startsWith(reason);
        });
  }
}
