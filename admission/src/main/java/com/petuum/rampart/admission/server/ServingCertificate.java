package com.petuum.rampart.admission.server;

import static java.util.Objects.requireNonNull;

import com.google.common.annotations.VisibleForTesting;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The webhook server's TLS identity: a serving certificate with its key, and the CA bundle the
 * apiserver needs to trust it. Immutable.
 *
 * <p>{@link #generate} makes a private CA and a serving certificate signed by it, valid for one
 * year, with IP SANs 127.0.0.1 and ::1 and the given DNS names. {@link #load} reads a certificate
 * chain and key from PEM files, for operators who bring their own (cert-manager, say).
 */
public final class ServingCertificate {

  /** How long generated certificates are valid; the server generates new ones on every start. */
  public static final Duration GENERATED_VALIDITY = Duration.ofDays(365);

  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final String caBundlePem;

  private ServingCertificate(PrivateKey key, List<X509Certificate> chain, String caBundlePem) {
    this.key = requireNonNull(key, "key");
    this.chain = List.copyOf(chain);
    this.caBundlePem = requireNonNull(caBundlePem, "caBundlePem");
  }

  /**
   * Generates a CA and a serving certificate for 127.0.0.1, ::1 and {@code dnsNames}.
   *
   * @param dnsNames host names clients use, such as {@code rampart-webhook.rampart-system.svc}
   */
  public static ServingCertificate generate(List<String> dnsNames) {
    try {
      KeyPair caKeys = newKeyPair();
      KeyPair serverKeys = newKeyPair();
      Instant now = Instant.now();
      Date notBefore = Date.from(now.minus(Duration.ofMinutes(5)));
      Date notAfter = Date.from(now.plus(GENERATED_VALIDITY));
      X500Name caName = new X500Name("CN=rampart-admission-ca");
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(caName, serial(), notBefore, notAfter, caName, caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress()));
      for (String dnsName : dnsNames) {
        names.add(new GeneralName(GeneralName.dNSName, dnsName));
      }
      X509v3CertificateBuilder server =
          new JcaX509v3CertificateBuilder(
                  caCertificate, serial(), notBefore, notAfter, new X500Name("CN=rampart-admission"), serverKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate serverCertificate = sign(server, caKeys.getPrivate());

      return new ServingCertificate(serverKeys.getPrivate(), List.of(serverCertificate, caCertificate), toPem(List.of(caCertificate)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("Could not generate the webhook serving certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Loads a serving certificate chain and its private key from PEM files.
   *
   * @param chainPem the serving certificate first, then any intermediates
   * @param keyPem the private key, PKCS#8 or the OpenSSL EC/RSA form
   * @param caBundlePem the CA certificates that sign the chain, as the apiserver should trust them
   * @throws IllegalArgumentException when a file does not hold what it should; the message names the file
   */
  public static ServingCertificate load(Path chainPem, Path keyPem, Path caBundlePem) {
    try {
      List<X509Certificate> chain = readCertificates(chainPem);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("certificate file: " + chainPem + " (expected at least one PEM CERTIFICATE block)");
      }
      String caBundle = Files.readString(caBundlePem, StandardCharsets.US_ASCII);
      if (readCertificates(caBundlePem).isEmpty()) {
        throw new IllegalArgumentException("CA bundle file: " + caBundlePem + " (expected at least one PEM CERTIFICATE block)");
      }
      return new ServingCertificate(readKey(keyPem), chain, caBundle);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the webhook certificate files: " + e.getMessage(), e);
    }
  }

  /** Returns the PEM certificates the apiserver must trust, for {@code caBundle} fields. */
  public String caBundlePem() {
    return caBundlePem;
  }

  /** Returns the serving certificate, then its issuers. */
  public List<X509Certificate> chain() {
    return chain;
  }

  @VisibleForTesting
  PrivateKey privateKey() {
    return key;
  }

  /** Creates a TLS context that presents this certificate. */
  public SSLContext sslContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("serving", key, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not build the TLS context of the webhook server: " + e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String toPem(List<X509Certificate> certificates) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    }
    return text.toString();
  }

  private static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate file: " + file + " (" + e.getMessage() + ")", e);
    }
    return certificates;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IllegalArgumentException(
          "key file: " + file + " (expected a PEM PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block)");
    }
  }
}
