package com.petuum.rampart.admission.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificateTest {

  @TempDir Path temp;

  private static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  @Test
  void generatedServerCertificateIsSignedByBundledCa() throws Exception {
    ServingCertificate certificate = ServingCertificate.generate(AdmissionServer.serviceDnsNames("rampart-system", "rampart-webhook"));

    X509Certificate server = certificate.chain().get(0);
    X509Certificate ca = certificate.chain().get(1);
    server.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .contains("127.0.0.1", "rampart-webhook.rampart-system.svc");
  }

  @Test
  void loadsChainKeyAndBundleFromPemFiles() throws Exception {
    ServingCertificate generated = ServingCertificate.generate(List.of("localhost"));
    Path chain = Files.writeString(temp.resolve("tls.crt"), pem(generated.chain().get(0)) + pem(generated.chain().get(1)));
    Path bundle = Files.writeString(temp.resolve("ca.crt"), generated.caBundlePem());
    Path keyFile = Files.writeString(temp.resolve("tls.key"), pem(new JcaPKCS8Generator(generated.privateKey(), null)));

    ServingCertificate loaded = ServingCertificate.load(chain, keyFile, bundle);

    assertThat(loaded.chain()).isEqualTo(generated.chain());
    assertThat(loaded.caBundlePem()).isEqualTo(generated.caBundlePem());
    assertThat(loaded.sslContext().getProtocol()).isEqualTo("TLS");
  }

  @Test
  void rejectsKeyFileWithoutKey() throws Exception {
    ServingCertificate generated = ServingCertificate.generate(List.of());
    Path chain = Files.writeString(temp.resolve("tls.crt"), pem(generated.chain().get(0)));
    Path notKey = Files.writeString(temp.resolve("tls.key"), pem(generated.chain().get(0)));

    assertThatThrownBy(() -> ServingCertificate.load(chain, notKey, chain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key file: " + notKey);
  }
}
