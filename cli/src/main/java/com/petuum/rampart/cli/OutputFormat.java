package com.petuum.rampart.cli;

import java.util.Locale;

/** The {@code -o} values of commands that print a table. */
enum OutputFormat {
  TEXT,
  JSON;

  /** Converts {@code -o} text for picocli, naming the accepted values when it is wrong. */
  static final class Converter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' (expected: text or json)");
      }
    }
  }
}
