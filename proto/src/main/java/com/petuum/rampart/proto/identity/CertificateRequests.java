package com.petuum.rampart.proto.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Creates the EC P-256 keys and PKCS#10 requests that agents send to join or renew. */
public final class CertificateRequests {

  /** Signature algorithm for requests and for certificates the hub CA signs. */
  public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private CertificateRequests() {}

  /** Generates a new EC key pair on the P-256 curve. */
  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JDK provides no EC P-256 key generator", e);
    }
  }

  /** Creates a request for the subject {@code CN=cluster:<name>}, signed with the key pair. */
  public static PKCS10CertificationRequest create(KeyPair keyPair, ClusterName cluster) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, cluster.commonName())
        .build();
    try {
      return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
          .build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keyPair.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("Failed to sign the certificate request", e);
    }
  }

  /** Creates a request as {@link #create} does and encodes it as PEM. */
  public static String createPem(KeyPair keyPair, ClusterName cluster) {
    return Pem.encode(create(keyPair, cluster));
  }
}
