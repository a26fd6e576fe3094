package com.petuum.rampart.common.logging;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --log-format} and {@code --log-level} options that the hub and the agent share. */
public final class LoggingOptions {

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", converter = FormatConverter.class,
      description = "Log line format on standard error: text (key=value context fields) or json (one object per "
          + "line) (default: ${DEFAULT-VALUE}).")
  LogFormat format;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info", converter = LevelConverter.class,
      description = "Lowest level logged: trace, debug, info, warn or error. At info, ZooKeeper, Curator, gRPC "
          + "and OkHttp log only warnings (default: ${DEFAULT-VALUE}).")
  String level;

  /** Configures the process's logging from the parsed options; call it first in the command. */
  public void apply(Map<String, String> processFields) {
    LogSetup.configure(format, level, processFields);
  }

  /** Reads {@code text} or {@code json} in any case; other commands that take a log format use it too. */
  public static final class FormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "text" -> LogFormat.TEXT;
        case "json" -> LogFormat.JSON;
        default -> throw new TypeConversionException("\"" + value + "\" is not a log format; use text or json");
      };
    }
  }

  static final class LevelConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return LogSetup.parseLevel(value).toString();
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
