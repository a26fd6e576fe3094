package com.petuum.rampart.testbed.pki;

import static java.util.Objects.requireNonNull;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** A certificate with the key pair it was issued for. */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {

  public IssuedCertificate {
    requireNonNull(certificate, "certificate");
    requireNonNull(keyPair, "keyPair");
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** Returns the private key as PKCS#8 PEM, the form both Go and gRPC's Java TLS accept. */
  public String privateKeyPem() {
    return Pem.privateKey(keyPair.getPrivate());
  }
}
