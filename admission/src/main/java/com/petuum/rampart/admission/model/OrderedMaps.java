package com.petuum.rampart.admission.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies maps into unmodifiable maps that keep the order in which the graph wrote its keys. */
final class OrderedMaps {

  private OrderedMaps() {}

  static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
