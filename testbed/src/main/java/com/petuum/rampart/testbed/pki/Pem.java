package com.petuum.rampart.testbed.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Writes certificates and keys as PEM text. */
public final class Pem {

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  public static String publicKey(PublicKey key) {
    return write(key);
  }

  /**
   * Writes a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}). The SEC1 form that
   * JcaPEMWriter produces by default is rejected by gRPC's TLS credentials.
   */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to encode a private key as PKCS#8", e);
    }
  }

  private static String write(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write PEM", e);
    }
    return text.toString();
  }
}
