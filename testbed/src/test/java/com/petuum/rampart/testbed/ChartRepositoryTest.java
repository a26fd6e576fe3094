package com.petuum.rampart.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.hash.Hashing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartRepositoryTest {

  private static final Path EXAMPLE_CHARTS = Path.of("..", "examples", "charts");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesIndexAndPackagedCharts(@TempDir Path packages) throws Exception {
    try (ChartRepository repository = ChartRepository.start(EXAMPLE_CHARTS, packages)) {
      assertThat(repository.url()).matches("http://127\\.0\\.0\\.1:\\d+/charts");
      assertThat(repository.charts()).containsExactly("batch-executor", "serving", "uploader");

      HttpResponse<String> index = http.send(
          HttpRequest.newBuilder(URI.create(repository.url() + "/index.yaml")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      JsonNode entry = new ObjectMapper(new YAMLFactory()).readTree(index.body()).path("entries").path("batch-executor").path(0);
      assertThat(entry.path("version").asText()).isEqualTo("0.6.1");
      assertThat(entry.path("urls").path(0).asText()).isEqualTo("batch-executor-0.6.1.tgz");

      HttpResponse<byte[]> archive = http.send(
          HttpRequest.newBuilder(URI.create(repository.url() + "/batch-executor-0.6.1.tgz")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(archive.statusCode()).isEqualTo(200);
      assertThat(Hashing.sha256().hashBytes(archive.body()).toString()).isEqualTo(entry.path("digest").asText());
    }
  }

  @Test
  void answersNotFoundOutsideItsFolder(@TempDir Path packages) throws Exception {
    try (ChartRepository repository = ChartRepository.start(EXAMPLE_CHARTS, packages)) {
      for (String path : new String[] {"/missing-0.1.0.tgz", "/..%2F..%2Fpom.xml", "/.hidden"}) {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(URI.create(repository.url() + path)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).as(path).isEqualTo(404);
      }
    }
  }

  @Test
  void rejectsFolderWithoutCharts(@TempDir Path empty, @TempDir Path packages) throws Exception {
    Files.createDirectories(empty.resolve("not-a-chart"));

    assertThatThrownBy(() -> ChartRepository.start(empty, packages))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chartsFolder: " + empty.toAbsolutePath())
        .hasMessageContaining("Chart.yaml");
  }
}
