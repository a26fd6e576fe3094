import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Writes a PKCS12 trust store with every certificate of a PEM bundle, for the image's Java
 * runtime (lib/security/cacerts). Run with the source launcher:
 * {@code java TrustStore.java BUNDLE.pem OUTPUT.p12}. The store password is "changeit", the JDK's
 * default for cacerts. Aliases are the certificates' SHA-256 fingerprints, so the output does not
 * depend on the bundle's order of certificates with equal names.
 */
public final class TrustStore {

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: java TrustStore.java BUNDLE.pem OUTPUT.p12");
      System.exit(2);
    }
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certificates.isEmpty()) {
      System.err.println("error: " + args[0] + " contains no PEM certificate");
      System.exit(1);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (Certificate certificate : certificates) {
      String alias = HexFormat.of().formatHex(sha256.digest(certificate.getEncoded()));
      store.setCertificateEntry(alias, (X509Certificate) certificate);
    }
    try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
      store.store(out, "changeit".toCharArray());
    }
    System.err.println("[build-images] trust store " + args[1] + ": " + certificates.size() + " certificates");
  }
}
