package com.petuum.rampart.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints rows in columns padded to their widest cell, as kubectl prints tables. A cell that spans
 * lines is printed on one, its lines joined with "; ". Not thread-safe.
 */
final class TextTable {

  private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  TextTable add(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells (expected: " + headers.size() + ")");
    }
    List<String> row = new ArrayList<>();
    for (String cell : cells) {
      // A line break would push the rest of the row under the next line's columns.
      row.add(cell == null || cell.isBlank() ? "<none>" : LINE_BREAK.matcher(cell.strip()).replaceAll("; "));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, headers, widths);
    for (List<String> row : rows) {
      printRow(out, row, widths);
    }
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cells.get(i).length() + 3));
      }
    }
    out.println(line);
  }
}
