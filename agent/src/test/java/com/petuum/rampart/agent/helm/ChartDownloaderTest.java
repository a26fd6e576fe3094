package com.petuum.rampart.agent.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.petuum.rampart.testbed.ChartRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from real chart repositories served on 127.0.0.1 by the test bed. */
class ChartDownloaderTest {

  @TempDir Path work;

  @Test
  void sameVersionFromTwoRepositoriesKeptApart() throws Exception {
    ChartDownloader downloader = new ChartDownloader(work.resolve("cache"));
    Path fromFirst;
    Path fromSecond;
    try (ChartRepository first = ChartRepository.start(chart("first", "a"), work.resolve("packages-first"));
        ChartRepository second = ChartRepository.start(chart("second", "b"), work.resolve("packages-second"))) {
      fromFirst = downloader.download(new ChartReference(first.url(), "demo", "0.1.0"));
      fromSecond = downloader.download(new ChartReference(second.url(), "demo", "0.1.0"));

      assertThat(fromFirst).isNotEqualTo(fromSecond);
      assertThat(Files.readAllBytes(fromFirst)).isEqualTo(Files.readAllBytes(work.resolve("packages-first/demo-0.1.0.tgz")));
      assertThat(Files.readAllBytes(fromSecond)).isEqualTo(Files.readAllBytes(work.resolve("packages-second/demo-0.1.0.tgz")));

      // With both repositories gone, each reference still gets its own cached archive.
      String firstUrl = first.url();
      first.close();
      assertThat(downloader.download(new ChartReference(firstUrl, "demo", "0.1.0"))).isEqualTo(fromFirst);
    }
  }

  @Test
  void archiveNotMatchingDigestRejected() throws Exception {
    ChartDownloader downloader = new ChartDownloader(work.resolve("cache"));
    Path packages = work.resolve("packages");
    try (ChartRepository repository = ChartRepository.start(chart("charts", "a"), packages)) {
      // The archive changes after index.yaml recorded its digest, as a repository that was not reindexed.
      Files.writeString(packages.resolve("demo-0.1.0.tgz"), "not the indexed archive", StandardCharsets.UTF_8);

      assertThatThrownBy(() -> downloader.download(new ChartReference(repository.url(), "demo", "0.1.0")))
          .isInstanceOf(HelmException.class)
          .hasMessageContaining("demo-0.1.0.tgz has SHA-256 ")
          .hasMessageContaining("lists digest ");
    }
    try (var cached = Files.walk(work.resolve("cache"))) {
      assertThat(cached.filter(Files::isRegularFile)).isEmpty();
    }
  }

  /** Writes a chart folder with chart demo 0.1.0 whose values differ by {@code origin}. */
  private Path chart(String folder, String origin) throws IOException {
    Path chart = Files.createDirectories(work.resolve(folder).resolve("demo"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "origin: " + origin + "\n");
    return chart.getParent();
  }
}
