package com.petuum.rampart.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * Writes one JSON object per line: {@code time} (ISO-8601 UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then each context field ({@code graph}, {@code cluster},
 * {@code epoch}, ...) as a top-level string, and {@code error} with the stack trace when the
 * event carries an exception. The context fields sit at the top level so that a query such as
 * {@code jq 'select(.graph == "demo/pipeline")'} needs no nesting.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory FACTORY = new JsonFactory();
  // A context field with one of these names would write a second key of the same name, which
  // many JSON parsers resolve by keeping only the last one.
  private static final Set<String> RESERVED = Set.of("time", "level", "logger", "thread", "message", "error");

  private final Map<String, String> processFields;

  JsonLogLayout(Map<String, String> processFields) {
    this.processFields = Map.copyOf(processFields);
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      for (Map.Entry<String, String> field : LogFields.of(processFields, event).entrySet()) {
        String key = RESERVED.contains(field.getKey()) ? "mdc." + field.getKey() : field.getKey();
        json.writeStringField(key, field.getValue());
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      // Unreachable, because a StringWriter does not fail; Jackson declares the exception for other targets.
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
