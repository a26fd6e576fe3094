package com.petuum.rampart.hub.join;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.hub.membership.MemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import com.petuum.rampart.proto.v1.JoinRequest;
import com.petuum.rampart.proto.v1.JoinResponse;
import com.petuum.rampart.proto.v1.RenewRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles Join and Renew: checks the caller's right to a certificate, signs its request with the
 * hub CA, and records the member. Thread-safe.
 *
 * <p>Join's steps, in this order so that a bad request never uses up a token: validate the
 * cluster name, token format and signing request; redeem the token; sign; create or update the
 * MemberCluster. A Join that fails after the token was redeemed can be retried with the same key
 * (see {@link TokenRedeemer}).
 */
public final class JoinHandler {

  private static final Logger log = LoggerFactory.getLogger(JoinHandler.class);

  private final TokenRedeemer redeemer;
  private final CertificateAuthority authority;
  private final MemberClusterStore members;
  private final Clock clock;
  private final Duration certificateValidity;
  private final List<String> endpoints;

  /** Creates a handler; the caller owns the store and the CA. */
  public JoinHandler(
      TokenRedeemer redeemer,
      CertificateAuthority authority,
      MemberClusterStore members,
      Clock clock,
      Duration certificateValidity,
      List<String> endpoints) {
    this.redeemer = requireNonNull(redeemer, "redeemer");
    this.authority = requireNonNull(authority, "authority");
    this.members = requireNonNull(members, "members");
    this.clock = requireNonNull(clock, "clock");
    this.certificateValidity = requireNonNull(certificateValidity, "certificateValidity");
    this.endpoints = List.copyOf(endpoints);
  }

  /**
   * Exchanges a bootstrap token and a signing request for a client certificate.
   *
   * @throws StatusException INVALID_ARGUMENT for a malformed request, PERMISSION_DENIED for a
   *     token that does not pass
   */
  public JoinResponse join(JoinRequest request) throws StatusException {
    ClusterName cluster;
    BootstrapToken token;
    String keyHash;
    try {
      cluster = new ClusterName(request.getClusterName());
      token = BootstrapToken.parse(request.getBootstrapToken());
      keyHash = publicKeyHash(Pem.decodeCertificateRequest(request.getCsrPem()));
      // Signing first validates the request, so an invalid one never redeems the token.
      authority.signClientCertificate(request.getCsrPem(), cluster, Duration.ofMinutes(1));
    } catch (IllegalArgumentException e) {
      log.warn("Join rejected: invalid request. cluster={} reason={}", request.getClusterName(), e.getMessage());
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
    }

    TokenCheck check = redeemer.redeem(token, cluster, keyHash);
    if (check instanceof TokenCheck.Rejected rejected) {
      throw Status.PERMISSION_DENIED
          .withDescription(rejected.reason() + "; create a new one with rampartctl cluster token create --cluster " + cluster)
          .asException();
    }

    X509Certificate certificate =
        authority.signClientCertificate(request.getCsrPem(), cluster, certificateValidity);
    members.recordJoin(cluster, request.getAgentVersion(), clock.instant());
    log.info(
        "Cluster joined. cluster={} agentVersion={} certificateNotAfter={}",
        cluster,
        request.getAgentVersion(),
        certificate.getNotAfter().toInstant());
    return response(certificate);
  }

  /**
   * Signs a new certificate for the cluster named by the caller's current certificate.
   *
   * @throws StatusException INVALID_ARGUMENT for a malformed request, PERMISSION_DENIED when the
   *     MemberCluster no longer exists
   */
  public JoinResponse renew(ClusterName cluster, RenewRequest request) throws StatusException {
    if (!members.exists(cluster)) {
      log.warn("Renew rejected: MemberCluster does not exist. cluster={}", cluster);
      throw Status.PERMISSION_DENIED
          .withDescription("MemberCluster " + cluster + " does not exist; join again with a new token")
          .asException();
    }
    X509Certificate certificate;
    try {
      certificate = authority.signClientCertificate(request.getCsrPem(), cluster, certificateValidity);
    } catch (IllegalArgumentException e) {
      log.warn("Renew rejected: invalid request. cluster={} reason={}", cluster, e.getMessage());
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
    }
    log.info("Certificate renewed. cluster={} certificateNotAfter={}", cluster, certificate.getNotAfter().toInstant());
    return response(certificate);
  }

  private JoinResponse response(X509Certificate certificate) {
    return JoinResponse.newBuilder()
        .setCertificatePem(Pem.encode(certificate))
        .setCaBundlePem(authority.certificatePem())
        .addAllHubEndpoints(endpoints)
        .build();
  }

  private static String publicKeyHash(PKCS10CertificationRequest request) {
    try {
      byte[] spki = request.getSubjectPublicKeyInfo().getEncoded();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("csr_pem: the public key does not encode: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform provides SHA-256", e);
    }
  }
}
