package com.petuum.rampart.e2e.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Extracts the shell commands from the fenced code blocks of README.md and docs/*.md.
 *
 * <p>Every fence must name its language. In {@code sh} blocks every line is a command; in
 * {@code console} blocks only lines that start with {@code $ } are, and the lines after one are
 * its output as the doc shows it. Backslash continuations are joined, and comments, blank lines
 * and runs of spaces are removed, so a command reads as one line with single spaces.
 */
final class DocumentedCommands {

  /** Languages whose blocks hold commands. */
  static final Set<String> SHELL_LANGUAGES = Set.of("sh", "console");

  /** Languages whose blocks hold no commands: files, code and program output. */
  static final Set<String> OTHER_LANGUAGES = Set.of("yaml", "json", "java", "text");

  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");

  /**
   * One command as a doc shows it.
   *
   * @param file the doc, relative to the repository root, such as {@code docs/install.md}
   * @param line the 1-based line on which the command starts
   * @param command the command on one line
   * @param shownOutput the output lines a {@code console} block shows after the command; empty
   *     for {@code sh} blocks
   */
  record Command(String file, int line, String command, List<String> shownOutput) {
    /** Returns {@code file:line}, for messages. */
    String location() {
      return file + ":" + line;
    }
  }

  /** A fenced block without a language, which this class cannot classify. */
  record UntaggedBlock(String file, int line) {}

  /** Everything found in the docs. */
  record Extraction(List<Command> commands, List<UntaggedBlock> untaggedBlocks, List<String> unknownLanguages) {}

  private DocumentedCommands() {}

  /** Returns README.md and every docs/*.md of the repository, relative to {@code root}, sorted. */
  static List<String> documentFiles(Path root) {
    List<String> files = new ArrayList<>();
    files.add("README.md");
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(path -> path.getFileName().toString().endsWith(".md"))
          .map(path -> "docs/" + path.getFileName())
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root.resolve("docs"), e);
    }
    return files;
  }

  /** Extracts the commands of every document under {@code root}. */
  static Extraction extract(Path root) {
    List<Command> commands = new ArrayList<>();
    List<UntaggedBlock> untagged = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String file : documentFiles(root)) {
      try {
        extractFile(file, Files.readAllLines(root.resolve(file)), commands, untagged, unknown);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + root.resolve(file), e);
      }
    }
    return new Extraction(List.copyOf(commands), List.copyOf(untagged), List.copyOf(unknown));
  }

  static void extractFile(String file, List<String> lines, List<Command> commands, List<UntaggedBlock> untagged,
      List<String> unknown) {
    int index = 0;
    while (index < lines.size()) {
      Matcher open = FENCE.matcher(lines.get(index));
      if (!open.matches()) {
        index++;
        continue;
      }
      String indent = open.group(1);
      String language = open.group(2);
      int openLine = index + 1;
      List<String> body = new ArrayList<>();
      index++;
      while (index < lines.size() && !FENCE.matcher(lines.get(index)).matches()) {
        String line = lines.get(index);
        body.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
        index++;
      }
      index++;
      if (language.isEmpty()) {
        untagged.add(new UntaggedBlock(file, openLine));
      } else if (language.equals("sh")) {
        commands.addAll(shellCommands(file, openLine + 1, body));
      } else if (language.equals("console")) {
        commands.addAll(consoleCommands(file, openLine + 1, body));
      } else if (!OTHER_LANGUAGES.contains(language)) {
        unknown.add(file + ":" + openLine + " ```" + language);
      }
    }
  }

  /** Extracts the commands of a {@code sh} block, in which every line is part of a command. */
  private static List<Command> shellCommands(String file, int firstLine, List<String> body) {
    List<Command> commands = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    int start = 0;
    for (int i = 0; i < body.size(); i++) {
      String line = body.get(i);
      if (pending.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
        continue;
      }
      if (pending.isEmpty()) {
        start = firstLine + i;
      }
      boolean continued = line.stripTrailing().endsWith("\\");
      pending.append(continued ? line.stripTrailing().substring(0, line.stripTrailing().length() - 1) : line).append(' ');
      if (!continued) {
        commands.add(new Command(file, start, normalize(pending.toString()), List.of()));
        pending.setLength(0);
      }
    }
    return commands;
  }

  /** Extracts the lines of a {@code console} block that start with {@code $ }, each with the output after it. */
  private static List<Command> consoleCommands(String file, int firstLine, List<String> body) {
    List<Command> commands = new ArrayList<>();
    int i = 0;
    while (i < body.size()) {
      String line = body.get(i);
      if (!line.startsWith("$ ")) {
        i++;
        continue;
      }
      int start = firstLine + i;
      StringBuilder command = new StringBuilder(line.substring(2));
      while (command.toString().stripTrailing().endsWith("\\") && i + 1 < body.size()) {
        String joined = command.toString().stripTrailing();
        command.setLength(0);
        command.append(joined, 0, joined.length() - 1).append(' ').append(body.get(++i));
      }
      i++;
      List<String> output = new ArrayList<>();
      while (i < body.size() && !body.get(i).startsWith("$ ")) {
        output.add(body.get(i));
        i++;
      }
      commands.add(new Command(file, start, normalize(command.toString()), List.copyOf(output)));
    }
    return commands;
  }

  /** Removes a trailing {@code # comment} outside quotes, and collapses runs of whitespace. */
  static String normalize(String command) {
    StringBuilder withoutComment = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(command.charAt(i - 1)))) {
        break;
      }
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
      withoutComment.append(c);
    }
    return withoutComment.toString().strip().replaceAll("\\s+", " ");
  }
}
