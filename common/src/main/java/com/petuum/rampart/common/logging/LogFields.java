package com.petuum.rampart.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Context fields of one log event: the process's own fields merged with the event's MDC entries.
 * {@code graph}, {@code cluster} and {@code epoch} come first, the other keys follow in sorted
 * order, so that lines about the same object line up.
 */
final class LogFields {

  private static final List<String> LEADING_KEYS = List.of("graph", "cluster", "epoch");

  private LogFields() {}

  /** Returns the fields in output order; an MDC entry replaces a process field of the same key. */
  static Map<String, String> of(Map<String, String> processFields, ILoggingEvent event) {
    Map<String, String> merged = new LinkedHashMap<>(processFields);
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      merged.putAll(mdc);
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String key : LEADING_KEYS) {
      String value = merged.remove(key);
      if (value != null) {
        ordered.put(key, value);
      }
    }
    merged.keySet().stream().sorted().forEach(key -> ordered.put(key, merged.get(key)));
    return ordered;
  }
}
