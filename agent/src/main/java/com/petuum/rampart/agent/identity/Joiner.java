package com.petuum.rampart.agent.identity;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.CertificateRequests;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.JoinRequest;
import com.petuum.rampart.proto.v1.JoinResponse;
import com.petuum.rampart.proto.v1.RenewRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains and renews an agent's client certificate. Each call makes a fresh EC P-256 key, so the
 * private key never leaves the agent. Thread-safe.
 */
public final class Joiner {

  private static final Logger log = LoggerFactory.getLogger(Joiner.class);

  private final Clock clock;
  private final String agentVersion;

  public Joiner(Clock clock, String agentVersion) {
    this.clock = requireNonNull(clock, "clock");
    this.agentVersion = requireNonNull(agentVersion, "agentVersion");
  }

  /**
   * Joins the hub with a bootstrap token, trusting the hub by the pinned CA hash.
   *
   * @throws StatusRuntimeException with the hub's status when it refuses; PERMISSION_DENIED
   *     means the token is unusable and a new one is needed
   * @throws IllegalStateException when the CA bundle the hub returns does not match the pin
   */
  public AgentCredentials join(HubAddress hub, CaPin pin, ClusterName cluster, String token) {
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    JoinRequest request =
        JoinRequest.newBuilder()
            .setClusterName(cluster.value())
            .setBootstrapToken(token)
            .setCsrPem(CertificateRequests.createPem(keyPair, cluster))
            .setAgentVersion(agentVersion)
            .build();
    ManagedChannel channel = HubChannels.forJoin(hub, pin, clock);
    try {
      JoinResponse response =
          FederationGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).join(request);
      List<X509Certificate> bundle = Pem.decodeCertificates(response.getCaBundlePem());
      if (bundle.stream().noneMatch(pin::matches)) {
        throw new IllegalStateException(
            "the CA bundle from hub " + hub + " does not contain the pinned CA " + pin);
      }
      log.info("Joined the hub. cluster={} hub={}", cluster, hub);
      return new AgentCredentials(
          Pem.encodePrivateKey(keyPair.getPrivate()),
          response.getCertificatePem(),
          response.getCaBundlePem(),
          response.getHubEndpointsList());
    } finally {
      shutdown(channel);
    }
  }

  /**
   * Exchanges the current certificate for a new one with a new key.
   *
   * @throws StatusRuntimeException with the hub's status; PERMISSION_DENIED means the cluster was
   *     revoked
   */
  public AgentCredentials renew(HubAddress hub, AgentCredentials current, ClusterName cluster) {
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    ManagedChannel channel = HubChannels.forConnect(hub, current, 1024 * 1024);
    try {
      JoinResponse response =
          FederationGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .renew(RenewRequest.newBuilder().setCsrPem(CertificateRequests.createPem(keyPair, cluster)).build());
      log.info("Renewed the client certificate. cluster={} hub={}", cluster, hub);
      return new AgentCredentials(
          Pem.encodePrivateKey(keyPair.getPrivate()),
          response.getCertificatePem(),
          response.getCaBundlePem(),
          response.getHubEndpointsList());
    } finally {
      shutdown(channel);
    }
  }

  private static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
