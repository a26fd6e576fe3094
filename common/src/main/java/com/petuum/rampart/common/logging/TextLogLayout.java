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
 * finds every line about one cluster. A value with spaces or quotes is quoted.
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
    LogFields.of(processFields, event).forEach((key, value) -> line.append(' ').append(key).append('=').append(quoted(value)));
    line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line.append(ThrowableProxyUtil.asString(error));
    }
    return line.toString();
  }

  private static String quoted(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || Character.isISOControl(c))) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
