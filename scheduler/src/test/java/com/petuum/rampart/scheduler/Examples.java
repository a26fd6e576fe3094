package com.petuum.rampart.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.petuum.rampart.scheduler.mapping.ManifestMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the YAML files under {@code examples/} of the repository. */
public final class Examples {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final YAMLFactory YAML = new YAMLFactory();

  private Examples() {}

  public static Path root() {
    String configured = System.getProperty("rampart.repo.root");
    Path root = configured == null || configured.isEmpty() ? Path.of("..") : Path.of(configured);
    return root.resolve("examples");
  }

  /** Returns every object in a multi-document YAML file, with {@code List} objects flattened. */
  public static List<JsonNode> objects(String relativePath) {
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = YAML.createParser(Files.readString(root().resolve(relativePath)))) {
      for (JsonNode document : JSON.readValues(parser, JsonNode.class).readAll()) {
        objects.addAll(ManifestMapper.objects(document));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read example " + relativePath, e);
    }
    return objects;
  }

  /** Parses YAML text into a single object. */
  public static JsonNode yaml(String text) {
    try (YAMLParser parser = YAML.createParser(text)) {
      return JSON.readTree(parser);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
