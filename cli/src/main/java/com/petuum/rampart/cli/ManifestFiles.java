package com.petuum.rampart.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.petuum.rampart.scheduler.mapping.ManifestMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads Kubernetes objects from multi-document YAML or JSON files. */
final class ManifestFiles {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final YAMLFactory YAML = new YAMLFactory();

  /** Thrown when a file cannot be read at all (missing, unreadable). */
  static final class UnreadableFileException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Thrown when a file's text is not YAML. */
  static final class MalformedFileException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ManifestFiles() {}

  /** Returns the objects of every document in order, with {@code kind: List} items flattened. */
  static List<JsonNode> read(Path file) throws UnreadableFileException, MalformedFileException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UnreadableFileException(file + ": file not found; check the path", e);
    } catch (AccessDeniedException e) {
      throw new UnreadableFileException(file + ": permission denied; make the file readable", e);
    } catch (IOException e) {
      String problem = Files.isDirectory(file) ? "is a directory; pass the files in it instead" : "cannot read the file: "
          + e.getMessage();
      throw new UnreadableFileException(file + ": " + problem, e);
    }
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = YAML.createParser(text)) {
      for (JsonNode document : JSON.readValues(parser, JsonNode.class).readAll()) {
        objects.addAll(ManifestMapper.objects(document));
      }
    } catch (JsonProcessingException e) {
      throw new MalformedFileException(file + ": invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
    } catch (IOException e) {
      throw new MalformedFileException(file + ": invalid YAML: " + e.getMessage(), e);
    }
    return objects;
  }
}
