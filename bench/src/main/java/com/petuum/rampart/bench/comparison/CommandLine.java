package com.petuum.rampart.bench.comparison;

import java.util.LinkedHashMap;
import java.util.Map;

/** Flags of the form {@code --name value}, with typed getters that exit with a usage error. */
final class CommandLine {

  private final String program;
  private final Map<String, String> values;

  private CommandLine(String program, Map<String, String> values) {
    this.program = program;
    this.values = values;
  }

  static CommandLine parse(String program, String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        fail(program, "argument " + args[i] + " is not a --flag followed by a value");
      }
      values.put(args[i], args[i + 1]);
    }
    return new CommandLine(program, values);
  }

  String text(String flag, String fallback) {
    return values.getOrDefault(flag, fallback);
  }

  String required(String flag) {
    String value = values.get(flag);
    if (value == null) {
      fail(program, "missing " + flag);
    }
    return value;
  }

  long number(String flag, long fallback) {
    String value = values.get(flag);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      fail(program, flag + " " + value + " is not an integer");
      return fallback;
    }
  }

  int positive(String flag, int fallback) {
    long value = number(flag, fallback);
    if (value < 1 || value > Integer.MAX_VALUE) {
      fail(program, flag + " " + value + " is out of range (expected a positive integer)");
    }
    return (int) value;
  }

  int nonNegative(String flag, int fallback) {
    long value = number(flag, fallback);
    if (value < 0 || value > Integer.MAX_VALUE) {
      fail(program, flag + " " + value + " is out of range (expected 0 or more)");
    }
    return (int) value;
  }

  /** Rejects flags that the program does not read, so a typo does not silently use a default. */
  void rejectUnknown(String... known) {
    for (String flag : values.keySet()) {
      if (!java.util.List.of(known).contains(flag)) {
        fail(program, "unknown flag " + flag + " (expected one of " + String.join(", ", known) + ")");
      }
    }
  }

  private static void fail(String program, String problem) {
    System.err.println(program + ": " + problem);
    System.exit(2);
  }
}
