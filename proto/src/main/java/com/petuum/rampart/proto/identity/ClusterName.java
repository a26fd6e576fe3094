package com.petuum.rampart.proto.identity;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import java.util.regex.Pattern;

/**
 * Name of a member cluster: the name of its {@code MemberCluster} object on the hub and the
 * subject of its client certificate. Immutable.
 *
 * <p>The name must be a DNS-1123 label (lower-case letters, digits and '-', at most 63
 * characters), because it also becomes part of Secret names and log keys.
 */
public record ClusterName(String value) {

  /** Prefix of the certificate common name that carries a cluster name. */
  public static final String SUBJECT_PREFIX = "cluster:";

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public ClusterName {
    if (value == null || value.length() > 63 || !DNS_1123_LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "cluster name: '"
              + value
              + "' (expected: a DNS-1123 label of lower-case letters, digits and '-', at most 63"
              + " characters, such as gpu-east)");
    }
  }

  /** Returns the certificate common name for this cluster, {@code cluster:<name>}. */
  public String commonName() {
    return SUBJECT_PREFIX + value;
  }

  /**
   * Parses a certificate common name of the form {@code cluster:<name>}; returns empty for any
   * other common name, including one whose name part is not a valid cluster name.
   */
  public static Optional<ClusterName> fromCommonName(String commonName) {
    if (commonName == null || !commonName.startsWith(SUBJECT_PREFIX)) {
      return Optional.empty();
    }
    String name = commonName.substring(SUBJECT_PREFIX.length());
    if (name.length() > 63 || !DNS_1123_LABEL.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterName(name));
  }

  /**
   * Reads the cluster name from a certificate whose subject is exactly {@code CN=cluster:<name>};
   * returns empty for any other subject, so that a certificate with extra attributes or several
   * common names never names a cluster.
   */
  public static Optional<ClusterName> fromCertificate(X509Certificate certificate) {
    X500Principal principal = certificate.getSubjectX500Principal();
    X500Name subject = X500Name.getInstance(principal.getEncoded());
    RDN[] rdns = subject.getRDNs();
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      return Optional.empty();
    }
    if (!rdns[0].getFirst().getType().equals(BCStyle.CN)) {
      return Optional.empty();
    }
    return fromCommonName(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
  }

  @Override
  public String toString() {
    return value;
  }
}
