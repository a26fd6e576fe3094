package com.petuum.rampart.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.google.common.base.Preconditions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Configures logging of a hub, agent or CLI process: one appender on standard error in the
 * chosen format, the root level, and fields that every line of the process carries (an agent's
 * {@code cluster}, for example).
 *
 * <p>Call it once, first thing in {@code main}. It replaces whatever configuration logback
 * loaded at start-up, so a process behaves the same whichever {@code logback.xml} is on its
 * class path.
 */
public final class LogSetup {

  // Libraries whose INFO lines repeat on every connection or print the whole class path. They
  // log at WARN unless the root level is DEBUG or TRACE.
  private static final Map<String, Level> QUIET_LOGGERS = Map.of(
      "org.apache.zookeeper", Level.WARN,
      "org.apache.curator", Level.WARN,
      "io.grpc.netty", Level.WARN,
      "okhttp3", Level.WARN);

  private LogSetup() {}

  /** Sends the process's log to standard error. */
  public static void configure(LogFormat format, String level, Map<String, String> processFields) {
    configure(format, level, processFields, System.err);
  }

  /**
   * Sends the process's log to {@code out}.
   *
   * @param level {@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error}, in any case
   * @throws IllegalArgumentException when the level is not one of those
   * @throws IllegalStateException when SLF4J is bound to something other than logback
   */
  public static void configure(LogFormat format, String level, Map<String, String> processFields, OutputStream out) {
    Level rootLevel = parseLevel(level);
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    Preconditions.checkState(factory instanceof LoggerContext,
        "SLF4J is bound to %s, not to logback; remove the other binding from the class path", factory.getClass().getName());
    LoggerContext context = (LoggerContext) factory;
    context.reset();

    LayoutBase<ILoggingEvent> layout = format == LogFormat.JSON
        ? new JsonLogLayout(processFields)
        : new TextLogLayout(processFields);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.setLayout(layout);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender;
    if (out == System.err) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.err");
      appender = console;
    } else {
      appender = new OutputStreamAppender<>();
    }
    appender.setContext(context);
    appender.setName(format.name().toLowerCase(Locale.ROOT));
    appender.setEncoder(encoder);
    if (out != System.err) {
      appender.setOutputStream(out);
    }
    appender.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel);
    root.addAppender(appender);
    // At DEBUG and TRACE the libraries log at the root level too, because an operator who raises
    // the level wants their lines.
    QUIET_LOGGERS.forEach((name, quiet) -> {
      if (rootLevel.isGreaterOrEqual(Level.INFO) && !rootLevel.isGreaterOrEqual(quiet)) {
        context.getLogger(name).setLevel(quiet);
      }
    });
  }

  static Level parseLevel(String text) {
    String name = text.trim().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "TRACE", "DEBUG", "INFO", "WARN", "ERROR" -> Level.toLevel(name);
      default -> throw new IllegalArgumentException(
          "log level \"" + text + "\" is not valid; use trace, debug, info, warn or error");
    };
  }
}
