package com.petuum.rampart.proto.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The hash of a CA's public key that an agent pins before it trusts the hub, in the form
 * {@code sha256:<64 hex digits>}. Immutable.
 *
 * <p>It is the SHA-256 of the DER-encoded SubjectPublicKeyInfo, the same value kubeadm prints as
 * its discovery token CA cert hash, so it survives re-issuing the CA certificate with the same
 * key.
 */
public record CaPin(String value) {

  private static final String PREFIX = "sha256:";

  public CaPin {
    if (value == null
        || !value.startsWith(PREFIX)
        || !value.substring(PREFIX.length()).matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "CA hash: '"
              + value
              + "' (expected: sha256: followed by 64 lower-case hex digits, as printed by"
              + " rampartctl cluster token create)");
    }
  }

  /** Parses a pin, accepting upper-case hex digits. */
  public static CaPin parse(String text) {
    return new CaPin(text == null ? null : text.trim().toLowerCase(Locale.ROOT));
  }

  /** Computes the pin of a certificate's public key. */
  public static CaPin of(X509Certificate certificate) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return new CaPin(PREFIX + HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform provides SHA-256", e);
    }
  }

  /** Returns whether the certificate's public key has this pin. */
  public boolean matches(X509Certificate certificate) {
    return MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        of(certificate).value().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return value;
  }
}
