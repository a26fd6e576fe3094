package com.petuum.rampart.hub.join;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bootstrap token as an operator hands it to an agent: {@code <id>.<secret>}, where the id is 6
 * and the secret 16 characters of {@code [a-z0-9]}, the format kubeadm uses. The id names the
 * stored token; only a SHA-256 hash of the secret is stored. Immutable.
 */
public record BootstrapToken(String id, String secret) {

  private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  public BootstrapToken {
    if (id == null || !id.matches("[a-z0-9]{6}")) {
      throw new IllegalArgumentException("token id: '" + id + "' (expected: 6 of [a-z0-9])");
    }
    if (secret == null || !secret.matches("[a-z0-9]{16}")) {
      // The secret itself is never part of a message.
      throw new IllegalArgumentException("token secret: invalid (expected: 16 of [a-z0-9])");
    }
  }

  /** Generates a token from a cryptographically strong random source. */
  public static BootstrapToken generate(SecureRandom random) {
    return new BootstrapToken(randomText(random, 6), randomText(random, 16));
  }

  /**
   * Parses {@code <id>.<secret>}.
   *
   * @throws IllegalArgumentException naming the expected format, without echoing the input,
   *     because the input may be a real secret with a typo
   */
  public static BootstrapToken parse(String text) {
    Matcher matcher = FORMAT.matcher(text == null ? "" : text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "bootstrap_token: malformed (expected: <6 of [a-z0-9]>.<16 of [a-z0-9]>, as printed by"
              + " rampartctl cluster token create)");
    }
    return new BootstrapToken(matcher.group(1), matcher.group(2));
  }

  /** Returns the hex SHA-256 of the secret, the form in which the hub stores it. */
  public String secretHash() {
    return sha256Hex(secret);
  }

  /** Returns the token in the {@code <id>.<secret>} form the agent is given. */
  public String text() {
    return id + "." + secret;
  }

  @Override
  public String toString() {
    // Keeps the secret out of logs and exception messages.
    return "BootstrapToken[id=" + id + "]";
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform provides SHA-256", e);
    }
  }

  private static String randomText(SecureRandom random, int length) {
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(text);
  }
}
