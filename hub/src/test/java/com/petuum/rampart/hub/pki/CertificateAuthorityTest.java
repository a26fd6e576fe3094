package com.petuum.rampart.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.CertificateRequests;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.identity.Pem;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final ClusterName M1 = new ClusterName("m1");

  private final CertificateAuthority authority =
      CertificateAuthority.generate("rampart-hub-ca", Duration.ofDays(365), Clock.systemUTC());

  @Test
  void signsClientCertificateForCluster() throws Exception {
    KeyPair keyPair = CertificateRequests.generateKeyPair();

    X509Certificate certificate =
        authority.signClientCertificate(
            CertificateRequests.createPem(keyPair, M1), M1, Duration.ofDays(30));

    certificate.verify(authority.certificate().getPublicKey());
    assertThat(ClusterName.fromCertificate(certificate)).contains(M1);
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getPublicKey()).isEqualTo(keyPair.getPublic());
  }

  @Test
  void rejectsRequestForAnotherCluster() {
    String request = CertificateRequests.createPem(CertificateRequests.generateKeyPair(), new ClusterName("m2"));

    assertThatThrownBy(() -> authority.signClientCertificate(request, M1, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CN=cluster:m2")
        .hasMessageContaining("expected: CN=cluster:m1");
  }

  @Test
  void rejectsRequestThatIsNotPem() {
    assertThatThrownBy(() -> authority.signClientCertificate("garbage", M1, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("csr_pem");
  }

  @Test
  void servingCertificateCarriesIpSanAndChain() throws Exception {
    IssuedCertificate serving = authority.issueServingCertificate(List.of("127.0.0.1", "hub.local"), Duration.ofDays(1));

    assertThat(serving.leaf().getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactly((Object) "127.0.0.1", "hub.local");
    assertThat(serving.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(serving.chain()).hasSize(2);
    assertThat(serving.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    serving.leaf().verify(authority.certificate().getPublicKey());
  }

  @Test
  void certificateNeverOutlivesCa() {
    CertificateAuthority shortLived =
        CertificateAuthority.generate("short", Duration.ofDays(1), Clock.systemUTC());

    X509Certificate certificate =
        shortLived.signClientCertificate(
            CertificateRequests.createPem(CertificateRequests.generateKeyPair(), M1), M1, Duration.ofDays(30));

    assertThat(certificate.getNotAfter()).isBeforeOrEqualTo(shortLived.certificate().getNotAfter());
  }

  @Test
  void loadsFromPemWithSamePin() {
    CertificateAuthority loaded =
        CertificateAuthority.fromPem(authority.certificatePem(), authority.privateKeyPem(), Clock.systemUTC());

    assertThat(loaded.pin()).isEqualTo(authority.pin());
    assertThat(authority.pin()).isEqualTo(CaPin.of(Pem.decodeCertificate(authority.certificatePem())));
  }

  @Test
  void rejectsKeyOfAnotherCa() {
    CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1), Clock.systemUTC());

    assertThatThrownBy(
            () -> CertificateAuthority.fromPem(authority.certificatePem(), other.privateKeyPem(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match the CA certificate");
  }
}
