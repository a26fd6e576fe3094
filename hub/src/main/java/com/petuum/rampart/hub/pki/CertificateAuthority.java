package com.petuum.rampart.hub.pki;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.CertificateRequests;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The hub's certificate authority: signs agents' client certificates ({@code CN=cluster:<name>},
 * extended key usage clientAuth) and the hub's serving certificates (serverAuth, with IP and DNS
 * subject alternative names). Keys are EC P-256. Thread-safe, because it has no mutable state.
 *
 * <p>NOTE: certificates carry no revocation information. Deleting a {@code MemberCluster} is what
 * revokes a cluster: the hub checks membership on every Join, Renew and Connect.
 */
public final class CertificateAuthority {

  private static final SecureRandom SERIALS = new SecureRandom();

  /** Allowance for clocks that run behind the hub's: certificates start this far in the past. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Clock clock;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.clock = clock;
  }

  /** Generates a new self-signed CA with the common name given, valid for {@code validity}. */
  public static CertificateAuthority generate(String commonName, Duration validity, Clock clock) {
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    Instant now = clock.instant();
    X500Name name = commonNameOnly(commonName);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  name,
                  keyPair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      return new CertificateAuthority(sign(builder, keyPair.getPrivate()), keyPair.getPrivate(), clock);
    } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Failed to build the CA certificate", e);
    }
  }

  /**
   * Loads a CA from its PEM certificate and private key.
   *
   * @throws IllegalArgumentException when either does not parse or the key does not belong to the
   *     certificate
   */
  public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem, Clock clock) {
    X509Certificate certificate = Pem.decodeCertificate(certificatePem);
    PrivateKey privateKey = Pem.decodePrivateKey(privateKeyPem);
    CertificateAuthority authority = new CertificateAuthority(certificate, privateKey, clock);
    X509Certificate probe =
        authority.issue(
            commonNameOnly("key-check"),
            certificate.getPublicKey(),
            Duration.ofMinutes(1),
            KeyPurposeId.id_kp_clientAuth,
            List.of());
    try {
      probe.verify(certificate.getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "CA private key: does not match the CA certificate's public key (expected: the key"
              + " that signed "
              + certificate.getSubjectX500Principal()
              + ")",
          e);
    }
    return authority;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.encode(certificate);
  }

  public String privateKeyPem() {
    return Pem.encodePrivateKey(privateKey);
  }

  /** Returns the pin agents use to trust this CA before they hold its certificate. */
  public CaPin pin() {
    return CaPin.of(certificate);
  }

  /**
   * Signs a client certificate for a cluster from the agent's certificate signing request.
   *
   * @throws IllegalArgumentException when the request does not parse, its signature does not
   *     verify, or its subject is not exactly {@code CN=cluster:<name>} for this cluster
   */
  public X509Certificate signClientCertificate(
      String csrPem, ClusterName cluster, Duration validity) {
    PKCS10CertificationRequest request = Pem.decodeCertificateRequest(csrPem);
    PublicKey publicKey;
    try {
      publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
      boolean signed =
          request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey));
      if (!signed) {
        throw new IllegalArgumentException(
            "csr_pem: the signature does not verify (expected: a request signed with the key it"
                + " carries)");
      }
    } catch (java.security.GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("csr_pem: cannot verify the request: " + e.getMessage(), e);
    }
    X500Name expected = commonNameOnly(cluster.commonName());
    if (!expected.equals(request.getSubject())) {
      throw new IllegalArgumentException(
          "csr_pem subject: '"
              + request.getSubject()
              + "' (expected: CN="
              + cluster.commonName()
              + ")");
    }
    return issue(expected, publicKey, validity, KeyPurposeId.id_kp_clientAuth, List.of());
  }

  /**
   * Issues a serving certificate and its new key for the given IP addresses and DNS names, which
   * become subject alternative names. Clients that dial {@code 127.0.0.1} need that IP here.
   */
  public IssuedCertificate issueServingCertificate(List<String> hosts, Duration validity) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "hosts: [] (expected: at least one IP address or DNS name, such as 127.0.0.1)");
    }
    KeyPair keyPair = CertificateRequests.generateKeyPair();
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(
          isIpAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    X509Certificate serving =
        issue(
            commonNameOnly("rampart-hub"),
            keyPair.getPublic(),
            validity,
            KeyPurposeId.id_kp_serverAuth,
            names);
    return new IssuedCertificate(List.of(serving, certificate), keyPair.getPrivate());
  }

  private X509Certificate issue(
      X500Name subject,
      PublicKey publicKey,
      Duration validity,
      KeyPurposeId purpose,
      List<GeneralName> alternativeNames) {
    requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity: " + validity + " (expected: positive)");
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(publicKey));
      if (!alternativeNames.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
      }
      return sign(builder, privateKey);
    } catch (CertIOException
        | java.security.NoSuchAlgorithmException
        | CertificateException e) {
      throw new IllegalStateException("Failed to build a certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(CertificateRequests.SIGNATURE_ALGORITHM).build(signer)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("Failed to sign a certificate", e);
    }
  }

  private static X500Name commonNameOnly(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, SERIALS).add(BigInteger.ONE);
  }

  private static boolean isIpAddress(String host) {
    return InetAddresses.isInetAddress(host);
  }
}
