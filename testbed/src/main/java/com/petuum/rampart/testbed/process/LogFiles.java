package com.petuum.rampart.testbed.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the ends of process logs for error messages. */
public final class LogFiles {

  private LogFiles() {}

  /** Returns the last {@code lines} lines of {@code file}, or a note when it cannot be read. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log " + file + " is not readable: " + e.getMessage() + ")";
    }
  }
}
