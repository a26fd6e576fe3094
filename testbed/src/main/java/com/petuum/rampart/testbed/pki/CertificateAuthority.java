package com.petuum.rampart.testbed.pki;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate authority for one test cluster, issuing serving and client
 * certificates with EC P-256 keys.
 *
 * <p>Thread-safe: serial numbers come from an atomic counter and issuing touches no other state.
 */
public final class CertificateAuthority {

  private static final Duration VALIDITY = Duration.ofDays(30);
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final AtomicLong nextSerial = new AtomicLong(2);

  private CertificateAuthority(KeyPair keyPair, X509Certificate certificate) {
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /** Creates a new authority whose subject is {@code CN=<commonName>}. */
  public static CertificateAuthority create(String commonName) {
    requireNonNull(commonName, "commonName");
    KeyPair keyPair = newKeyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  BigInteger.ONE,
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(VALIDITY)),
                  subject,
                  keyPair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      return new CertificateAuthority(keyPair, sign(builder, keyPair));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Failed to create the certificate authority " + commonName, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  /**
   * Issues a serving certificate valid for {@code localhost} and 127.0.0.1 plus the given DNS
   * names. Clients written in Go ignore the common name, so the subject alternative names are
   * what they check.
   */
  public IssuedCertificate issueServing(String commonName, List<String> extraDnsNames) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    for (String dnsName : extraDnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dnsName));
    }
    X500Name subject = new X500Name("CN=" + commonName);
    return issue(
        subject,
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  /**
   * Issues a client certificate. Kubernetes reads the user name from the common name and one
   * group from each organization entry.
   */
  public IssuedCertificate issueClient(String user, List<String> groups) {
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    for (String group : groups) {
      subject.addRDN(BCStyle.O, group);
    }
    subject.addRDN(BCStyle.CN, user);
    return issue(subject.build(), KeyPurposeId.id_kp_clientAuth, null);
  }

  private IssuedCertificate issue(X500Name subject, KeyPurposeId purpose, GeneralNames altNames) {
    KeyPair leafKeys = newKeyPair();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  BigInteger.valueOf(nextSerial.getAndIncrement()),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(VALIDITY)),
                  subject,
                  leafKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      return new IssuedCertificate(sign(builder, keyPair), leafKeys);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("Failed to issue a certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("No ECDSA signer available", e);
    }
  }

  /** Generates an EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JDK cannot generate EC P-256 keys", e);
    }
  }

  /** Returns the authority's certificate in PEM form. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** Returns the authority's private key as PKCS#8 PEM. */
  public String privateKeyPem() {
    return Pem.privateKey(keyPair.getPrivate());
  }
}
