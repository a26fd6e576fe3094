package com.petuum.rampart.proto.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Reads and writes the PEM forms that the protocol exchanges: X.509 certificates, PKCS#10
 * requests and private keys. Private keys are always written as PKCS#8 ({@code BEGIN PRIVATE
 * KEY}), because gRPC's TLS credentials reject the SEC1 {@code BEGIN EC PRIVATE KEY} form.
 */
public final class Pem {

  private Pem() {}

  /** Encodes any object that BouncyCastle's PEM writer accepts: certificates and requests. */
  public static String encode(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to encode " + object.getClass().getSimpleName(), e);
    }
    return out.toString();
  }

  /** Encodes a private key as unencrypted PKCS#8. */
  public static String encodePrivateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to encode the private key", e);
    }
    return out.toString();
  }

  /** Encodes certificates one after another, as a chain or a CA bundle is written. */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(encode(certificate));
    }
    return pem.toString();
  }

  /**
   * Decodes every certificate in a PEM text.
   *
   * @throws IllegalArgumentException when the text holds no certificate or a block does not parse
   */
  public static List<X509Certificate> decodeCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("certificate PEM does not parse: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "certificate PEM: no certificate found (expected: at least one BEGIN CERTIFICATE block)");
    }
    return List.copyOf(certificates);
  }

  /** Decodes the first certificate in a PEM text. */
  public static X509Certificate decodeCertificate(String pem) {
    return decodeCertificates(pem).get(0);
  }

  /**
   * Decodes a private key in PKCS#8 or SEC1 form.
   *
   * @throws IllegalArgumentException when the text contains no private key
   */
  public static PrivateKey decodePrivateKey(String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("private key PEM does not parse: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "private key PEM: no private key found (expected: a BEGIN PRIVATE KEY block)");
  }

  /**
   * Decodes a PKCS#10 certificate signing request.
   *
   * @throws IllegalArgumentException when the text contains no request
   */
  public static PKCS10CertificationRequest decodeCertificateRequest(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object instanceof PKCS10CertificationRequest request) {
        return request;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("csr_pem does not parse: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "csr_pem: no certificate request found (expected: a BEGIN CERTIFICATE REQUEST block)");
  }
}
