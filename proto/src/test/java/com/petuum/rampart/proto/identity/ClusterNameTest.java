package com.petuum.rampart.proto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class ClusterNameTest {

  @Test
  void commonNameCarriesPrefix() {
    assertThat(new ClusterName("gpu-east").commonName()).isEqualTo("cluster:gpu-east");
  }

  @Test
  void rejectsUpperCaseWithRule() {
    assertThatThrownBy(() -> new ClusterName("GPU"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'GPU'")
        .hasMessageContaining("DNS-1123 label");
  }

  @Test
  void rejectsNameLongerThan63() {
    assertThatThrownBy(() -> new ClusterName("a".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesOnlyClusterCommonNames() {
    assertThat(ClusterName.fromCommonName("cluster:m1")).contains(new ClusterName("m1"));
    assertThat(ClusterName.fromCommonName("rampart-hub")).isEmpty();
    assertThat(ClusterName.fromCommonName("cluster:Bad_Name")).isEmpty();
    assertThat(ClusterName.fromCommonName(null)).isEmpty();
  }

  @Test
  void requestSubjectIsExactlyTheCommonName() {
    KeyPair keyPair = CertificateRequests.generateKeyPair();

    var request = CertificateRequests.create(keyPair, new ClusterName("m1"));

    assertThat(request.getSubject().toString()).isEqualTo("CN=cluster:m1");
  }

  @Test
  void caPinRejectsMalformedHashWithExample() {
    assertThatThrownBy(() -> CaPin.parse("sha256:xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:xyz'")
        .hasMessageContaining("64 lower-case hex digits");
  }

  @Test
  void caPinAcceptsUpperCaseHex() {
    String hex = "AB".repeat(32);

    assertThat(CaPin.parse("sha256:" + hex).value()).isEqualTo("sha256:" + hex.toLowerCase());
  }

  @Test
  void pemRejectsTextWithoutCertificate() {
    assertThatThrownBy(() -> Pem.decodeCertificates("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no certificate found");
  }

  @Test
  void privateKeyRoundTripsAsPkcs8() {
    KeyPair keyPair = CertificateRequests.generateKeyPair();

    String pem = Pem.encodePrivateKey(keyPair.getPrivate());

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.decodePrivateKey(pem).getEncoded()).isEqualTo(keyPair.getPrivate().getEncoded());
  }
}
