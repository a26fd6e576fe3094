package com.petuum.rampart.scheduler.resource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Parses and formats Kubernetes resource quantities ({@code 500m}, {@code 2}, {@code 1.5},
 * {@code 16Gi}, {@code 1G}, {@code 1e3}) as whole milli-units.
 *
 * <p>Every resource is held in milli-units, so CPU, memory and extended resources compare with
 * the same integer arithmetic. A value finer than one milli-unit rounds up, as the apiserver's
 * {@code MilliValue()} does. Memory in milli-bytes stays exact up to about 8 PiB, beyond which
 * parsing fails with a message rather than overflowing.
 */
public final class Quantity {

  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  /** Suffix to multiplier, as in the apiserver's quantity grammar. "K" is not a valid suffix. */
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", new BigDecimal(BigInteger.TWO.pow(10))),
          Map.entry("Mi", new BigDecimal(BigInteger.TWO.pow(20))),
          Map.entry("Gi", new BigDecimal(BigInteger.TWO.pow(30))),
          Map.entry("Ti", new BigDecimal(BigInteger.TWO.pow(40))),
          Map.entry("Pi", new BigDecimal(BigInteger.TWO.pow(50))),
          Map.entry("Ei", new BigDecimal(BigInteger.TWO.pow(60))));

  private static final long[] BINARY_UNITS = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
  private static final String[] BINARY_SUFFIXES = {"Ti", "Gi", "Mi", "Ki"};

  private Quantity() {}

  /**
   * Parses a quantity into milli-units, rounding a finer value up.
   *
   * @throws IllegalArgumentException when the text is not a quantity, or is too large; the
   *     message quotes the text
   */
  public static long parseMilli(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("quantity: empty (expected a number with an optional suffix, such as 500m, 2, 16Gi or 1e3)");
    }
    int end = numberEnd(text);
    String number = text.substring(0, end);
    String suffix = text.substring(end);
    BigDecimal multiplier = multiplier(suffix, text);
    BigDecimal value = parseNumber(number, text).multiply(multiplier).multiply(THOUSAND);
    try {
      return value.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "quantity \"" + text + "\" is too large (expected at most about 9.2P units, or 8Pi bytes)", e);
    }
  }

  /** Parses a quantity that must not be negative, naming {@code field} in the message. */
  public static long parseNonNegativeMilli(String field, String text) {
    long milli;
    try {
      milli = parseMilli(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
    if (milli < 0) {
      throw new IllegalArgumentException(field + ": \"" + text + "\" is negative (expected 0 or more)");
    }
    return milli;
  }

  /**
   * Formats milli-units the way people write them: {@code 500m}, {@code 2}, {@code 16Gi}.
   * Whole multiples of 1Ki and above get a binary suffix, which suits memory and reads fine for
   * other resources at those sizes.
   */
  public static String format(long milli) {
    if (milli % 1000 != 0) {
      return milli + "m";
    }
    long units = milli / 1000;
    for (int i = 0; i < BINARY_UNITS.length; i++) {
      if (units != 0 && units % BINARY_UNITS[i] == 0) {
        return (units / BINARY_UNITS[i]) + BINARY_SUFFIXES[i];
      }
    }
    return Long.toString(units);
  }

  private static int numberEnd(String text) {
    int i = 0;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      i++;
    }
    while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
      i++;
    }
    return i;
  }

  private static BigDecimal parseNumber(String number, String text) {
    String digits = number.startsWith("+") || number.startsWith("-") ? number.substring(1) : number;
    boolean hasDigit = digits.chars().anyMatch(Character::isDigit);
    long dots = digits.chars().filter(c -> c == '.').count();
    if (!hasDigit || dots > 1) {
      throw invalid(text);
    }
    return new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
  }

  private static BigDecimal multiplier(String suffix, String text) {
    BigDecimal fixed = SUFFIXES.get(suffix);
    if (fixed != null) {
      return fixed;
    }
    // A decimal exponent: "e" or "E" followed by a signed integer. "E" alone is exa, above.
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      String exponent = suffix.substring(1);
      if (exponent.matches("[+-]?[0-9]{1,3}")) {
        return BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(exponent));
      }
    }
    throw invalid(text);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "quantity \"" + text + "\" is invalid (expected a number with an optional suffix: "
            + "m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent such as e3)");
  }
}
