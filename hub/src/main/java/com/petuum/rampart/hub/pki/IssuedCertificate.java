package com.petuum.rampart.hub.pki;

import com.petuum.rampart.proto.identity.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain, leaf first, with the leaf's private key. Immutable.
 *
 * <p>The serving chain includes the CA certificate so that an agent that pins the CA's key hash
 * can find the CA in the chain before it has the CA bundle.
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {

  public IssuedCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: [] (expected: at least the leaf certificate)");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public String chainPem() {
    return Pem.encodeCertificates(chain);
  }

  public String privateKeyPem() {
    return Pem.encodePrivateKey(privateKey);
  }
}
