package com.petuum.rampart.hub.server;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies client certificates with the hub CA's trust manager and logs every rejection with the
 * peer and the subject it presented, because TLS failures otherwise leave no trace in our logs.
 * Thread-safe when the delegate is.
 */
final class LoggingClientTrustManager extends X509ExtendedTrustManager {

  private static final Logger log = LoggerFactory.getLogger(LoggingClientTrustManager.class);

  private final X509ExtendedTrustManager delegate;

  LoggingClientTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      log.warn(
          "Client certificate rejected. peer={}:{} subject={} reason={}",
          engine == null ? "?" : engine.getPeerHost(),
          engine == null ? -1 : engine.getPeerPort(),
          chain.length == 0 ? "none" : chain[0].getSubjectX500Principal(),
          e.getMessage());
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      log.warn(
          "Client certificate rejected. subject={} reason={}",
          chain.length == 0 ? "none" : chain[0].getSubjectX500Principal(),
          e.getMessage());
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
