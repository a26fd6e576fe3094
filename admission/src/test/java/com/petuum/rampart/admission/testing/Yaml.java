package com.petuum.rampart.admission.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads YAML test data and the repository's example files. */
public final class Yaml {

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  public static final ObjectMapper JSON = new ObjectMapper();

  private Yaml() {}

  public static ObjectNode parse(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode read(Path file) {
    try {
      return (ObjectNode) YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the repository root, which surefire passes as rampart.repo.root. */
  public static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root");
    return root == null || root.isEmpty() ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
  }

  /** Returns the YAML files of one examples folder, sorted by name. */
  public static List<Path> examples(String folder) {
    try (Stream<Path> files = Files.list(repositoryRoot().resolve("examples/graphs").resolve(folder))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the {@code # key: value} lines at the top of an example file. */
  public static Map<String, String> headerComments(Path file) {
    Map<String, String> header = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.startsWith("#")) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          header.put(line.substring(1, colon).trim(), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return header;
  }

  /** Returns the documents of a multi-document YAML text. */
  public static List<JsonNode> documents(String yaml) {
    try {
      List<JsonNode> documents = new ArrayList<>();
      YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(d -> documents.add((JsonNode) d));
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
