package com.petuum.rampart.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Locates the charts under deploy/ and renders them with the Helm library. */
final class Charts {

  static final String NAMESPACE = "rampart-system";

  /** A token in the format the hub issues; the charts only check its shape. */
  static final String TOKEN = "abcdef.0123456789abcdef";

  static final String CA_HASH = "sha256:" + "0f".repeat(32);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Charts() {}

  static Path repositoryRoot() {
    String root = System.getProperty("rampart.repo.root", "");
    Path path = Path.of(root.isBlank() ? ".." : root).toAbsolutePath().normalize();
    if (!Files.isDirectory(path.resolve("deploy/hub/templates"))) {
      throw new IllegalStateException("deploy/hub/templates not found under " + path
          + "; run the tests with Maven from the repository root or set -Drampart.repo.root");
    }
    return path;
  }

  static Path hubChart() {
    return repositoryRoot().resolve("deploy/hub");
  }

  static Path agentChart() {
    return repositoryRoot().resolve("deploy/agent");
  }

  /** Values the agent chart requires, as --set pairs. */
  static Map<String, String> agentValues(String clusterName, String hubAddress, String caHash) {
    return Map.of(
        "clusterName", clusterName,
        "hub.address", hubAddress,
        "hub.caHash", caHash,
        "join.token", TOKEN);
  }

  static String render(Path chart, String release, Map<String, ?> values) {
    TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(NAMESPACE);
    values.forEach(template::set);
    return template.call();
  }

  /** Parses a multi-document manifest, leaving out empty documents. */
  static List<JsonNode> documents(String manifest) {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
      for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (node != null && !node.isNull() && !node.isEmpty()) {
          documents.add(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The rendered manifest does not parse as YAML", e);
    }
    return documents;
  }

  static Optional<JsonNode> find(List<JsonNode> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
        .findFirst();
  }

  static JsonNode readYaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
