package com.petuum.rampart.scheduler.resource;

import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Amounts of named resources ({@code cpu}, {@code memory}, {@code nvidia.com/gpu}, ...) in
 * milli-units. Immutable; iterates in resource-name order.
 */
public record ResourceList(SortedMap<String, Long> milli) {

  public static final ResourceList EMPTY = new ResourceList(new TreeMap<>());

  public ResourceList {
    TreeMap<String, Long> copy = new TreeMap<>();
    milli.forEach(
        (name, amount) -> {
          if (amount == null) {
            throw new IllegalArgumentException("resource " + name + ": amount is missing");
          }
          if (amount != 0) {
            copy.put(name, amount);
          }
        });
    milli = java.util.Collections.unmodifiableSortedMap(copy);
  }

  /** Parses a map of quantity strings, naming {@code field} and the resource in any error. */
  public static ResourceList parse(String field, Map<String, String> quantities) {
    TreeMap<String, Long> amounts = new TreeMap<>();
    quantities.forEach(
        (name, text) -> amounts.put(name, Quantity.parseNonNegativeMilli(field + "." + name, text)));
    return new ResourceList(amounts);
  }

  /** Builds a list from alternating names and quantity strings, for tests and examples. */
  public static ResourceList of(String... namesAndQuantities) {
    if (namesAndQuantities.length % 2 != 0) {
      throw new IllegalArgumentException("namesAndQuantities: odd length " + namesAndQuantities.length + " (expected name, quantity pairs)");
    }
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < namesAndQuantities.length; i += 2) {
      map.put(namesAndQuantities[i], namesAndQuantities[i + 1]);
    }
    return parse("resources", map);
  }

  /**
   * Returns the amounts as Kubernetes quantity strings that {@link #parse} reads back exactly:
   * whole units as plain integers, anything else in milli-units such as {@code 500m}.
   */
  public SortedMap<String, String> toQuantities() {
    TreeMap<String, String> quantities = new TreeMap<>();
    milli.forEach((name, amount) ->
        quantities.put(name, amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m"));
    return quantities;
  }

  public long get(String name) {
    return milli.getOrDefault(name, 0L);
  }

  public boolean isEmpty() {
    return milli.isEmpty();
  }

  public ResourceList plus(ResourceList other) {
    TreeMap<String, Long> sum = new TreeMap<>(milli);
    other.milli.forEach((name, amount) -> sum.merge(name, amount, Math::addExact));
    return new ResourceList(sum);
  }

  public ResourceList times(long factor) {
    TreeMap<String, Long> product = new TreeMap<>();
    milli.forEach((name, amount) -> product.put(name, Math.multiplyExact(amount, factor)));
    return new ResourceList(product);
  }

  /** Subtracts {@code other}, flooring each resource at zero. */
  public ResourceList minusFloorZero(ResourceList other) {
    TreeMap<String, Long> difference = new TreeMap<>(milli);
    other.milli.forEach((name, amount) -> difference.put(name, Math.max(0, get(name) - amount)));
    return new ResourceList(difference);
  }

  @Override
  public String toString() {
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    milli.forEach((name, amount) -> joiner.add(name + ": " + Quantity.format(amount)));
    return joiner.toString();
  }
}
