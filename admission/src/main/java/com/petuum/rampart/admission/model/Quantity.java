package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity such as {@code 500m}, {@code 16Gi} or {@code 1e3}, parsed into
 * its exact decimal value. Immutable.
 *
 * <p>Accepts the syntax of Kubernetes' {@code resource.Quantity}: an optional sign, a decimal
 * number, then one binary suffix (Ki to Ei), one decimal suffix (n, u, m, k, M to E) or a decimal
 * exponent. It does not enforce the apiserver's precision limits.
 *
 * @param text the quantity as written
 * @param value the number it stands for, in base units (bytes, cores, devices)
 */
public record Quantity(String text, BigDecimal value) {

  private static final Pattern SYNTAX =
      Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")));

  /** Longest exponent accepted; larger ones would make BigDecimal arithmetic needlessly slow. */
  private static final int MAX_EXPONENT = 100;

  public Quantity {
    requireNonNull(text, "text");
    requireNonNull(value, "value");
  }

  /** Parses {@code text}; empty when it is not a quantity. */
  public static Optional<Quantity> parse(String text) {
    Matcher matcher = SYNTAX.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(matcher.group(1));
    String suffix = matcher.group(2);
    if (suffix == null) {
      return Optional.of(new Quantity(text, number));
    }
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      int exponent;
      try {
        exponent = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (Math.abs(exponent) > MAX_EXPONENT) {
        return Optional.empty();
      }
      return Optional.of(new Quantity(text, number.scaleByPowerOfTen(exponent)));
    }
    return Optional.of(new Quantity(text, number.multiply(SUFFIXES.get(suffix))));
  }

  /** Returns whether the value is a whole number, such as {@code 2} or {@code 2000m}. */
  public boolean isWhole() {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** Returns whether the value is below zero. */
  public boolean isNegative() {
    return value.signum() < 0;
  }
}
