package com.petuum.rampart.common.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes {@code TIME LEVEL [THREAD] LOGGER key=value ... - MESSAGE}, with the time in ISO-8601
 * UTC and the context fields as {@code key=value} pairs, so that {@code grep cluster=gpu-east}
 * finds every line about one cluster. A value with spaces or quotes is quoted. A pair that the
 * message already contains is left out of the prefix, so it appears once per line.
 */
final class TextLogLayout extends LayoutBase<ILoggingEvent> {

  private static final int LOGGER_NAME_LENGTH = 40;

  private final Map<String, String> processFields;
  private final TargetLengthBasedClassNameAbbreviator abbreviator =
      new TargetLengthBasedClassNameAbbreviator(LOGGER_NAME_LENGTH);

  TextLogLayout(Map<String, String> processFields) {
    this.processFields = Map.copyOf(processFields);
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    line.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .append(' ').append(String.format("%-5s", event.getLevel()))
        .append(" [").append(event.getThreadName()).append("] ")
        .append(abbreviator.abbreviate(event.getLoggerName()));
    String message = event.getFormattedMessage();
    LogFields.of(processFields, event).forEach((key, value) -> {
      String pair = key + '=' + quoted(value);
      if (!containsToken(message, pair)) {
        line.append(' ').append(pair);
      }
    });
    line.append(" - ").append(message).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line.append(ThrowableProxyUtil.asString(error));
    }
    return line.toString();
  }

  /** Returns whether {@code message} contains {@code token} between spaces or at its ends. */
  private static boolean containsToken(String message, String token) {
    for (int at = message.indexOf(token); at >= 0; at = message.indexOf(token, at + 1)) {
      int end = at + token.length();
      if ((at == 0 || message.charAt(at - 1) == ' ') && (end == message.length() || message.charAt(end) == ' ')) {
        return true;
      }
    }
    return false;
  }

  private static String quoted(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || Character.isISOControl(c))) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
