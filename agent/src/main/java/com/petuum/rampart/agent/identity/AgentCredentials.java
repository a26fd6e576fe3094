package com.petuum.rampart.agent.identity;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.proto.identity.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an agent holds after joining: its private key, its client certificate, the hub CA bundle
 * and the hub endpoints. Immutable.
 */
public record AgentCredentials(
    String privateKeyPem, String certificatePem, String caBundlePem, List<String> hubEndpoints) {

  public AgentCredentials {
    requireNonNull(privateKeyPem, "privateKeyPem");
    requireNonNull(certificatePem, "certificatePem");
    requireNonNull(caBundlePem, "caBundlePem");
    hubEndpoints = List.copyOf(hubEndpoints);
  }

  public X509Certificate certificate() {
    return Pem.decodeCertificate(certificatePem);
  }

  /**
   * Returns when the certificate should be renewed: when a third of its lifetime is left, as
   * kubelet does for its client certificate.
   */
  public Instant renewalTime() {
    X509Certificate certificate = certificate();
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Duration lifetime = Duration.between(notBefore, notAfter);
    return notAfter.minus(lifetime.dividedBy(3));
  }

  /** Returns whether the certificate should be renewed at {@code now}. */
  public boolean needsRenewal(Instant now) {
    return !now.isBefore(renewalTime());
  }

  @Override
  public String toString() {
    // Keeps the private key out of logs.
    return "AgentCredentials[subject=" + certificate().getSubjectX500Principal() + "]";
  }
}
