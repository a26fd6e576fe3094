package com.petuum.rampart.agent.identity;

import com.petuum.rampart.proto.identity.CaPin;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a hub before the agent has the CA bundle: the hub's chain must contain a CA
 * certificate whose public key has the pinned hash, and the leaf must be a currently valid
 * serving certificate (extended key usage serverAuth) signed by that CA. This is the check
 * kubeadm's discovery token CA cert hash makes. Thread-safe.
 *
 * <p>The serverAuth check matters because agents' client certificates come from the same CA: an
 * agent's certificate cannot pose as the hub.
 */
final class PinnedCaTrustManager extends X509ExtendedTrustManager {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private final CaPin pin;
  private final Clock clock;

  PinnedCaTrustManager(CaPin pin, Clock clock) {
    this.pin = pin;
    this.clock = clock;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("hub presented no certificate");
    }
    X509Certificate leaf = chain[0];
    X509Certificate ca = null;
    for (X509Certificate candidate : chain) {
      if (pin.matches(candidate)) {
        ca = candidate;
      }
    }
    if (ca == null) {
      throw new CertificateException(
          "no certificate in the hub's chain has the pinned CA hash " + pin
              + "; check --ca-hash against rampartctl cluster token create");
    }
    try {
      leaf.verify(ca.getPublicKey());
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (GeneralSecurityException e) {
      throw new CertificateException("hub serving certificate does not verify against the pinned CA: " + e.getMessage(), e);
    }
    List<String> usages = leaf.getExtendedKeyUsage();
    if (usages == null || !usages.contains(SERVER_AUTH)) {
      throw new CertificateException("hub certificate is not a serving certificate (no serverAuth extended key usage)");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("an agent accepts no client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
