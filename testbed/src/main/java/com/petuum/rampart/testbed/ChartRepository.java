package com.petuum.rampart.testbed;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.hash.Hashing;
import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Helm chart repository on 127.0.0.1: packages every chart folder of a source folder with
 * helm-java, writes the repository's {@code index.yaml} and serves both over plain HTTP, so that
 * Helm fetches charts from it as it fetches them from any published repository.
 *
 * <p>The repository lives at {@code http://127.0.0.1:PORT/charts}; {@link #url()} returns that
 * address without a trailing slash. Thread-safe; {@link #close} is idempotent.
 */
public final class ChartRepository implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChartRepository.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String BASE_PATH = "/charts";
  private static final String INDEX_FILE = "index.yaml";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path packageFolder;
  private final List<String> charts;
  private volatile boolean closed;

  private ChartRepository(HttpServer server, ExecutorService executor, Path packageFolder, List<String> charts) {
    this.server = server;
    this.executor = executor;
    this.packageFolder = packageFolder;
    this.charts = charts;
  }

  /**
   * Packages the charts in {@code chartsFolder} into {@code packageFolder} and starts serving them.
   *
   * @param chartsFolder a folder whose subfolders with a {@code Chart.yaml} are charts
   * @param packageFolder where the {@code .tgz} files and {@code index.yaml} are written; created
   *     when missing
   * @throws IllegalArgumentException when {@code chartsFolder} contains no chart
   * @throws UncheckedIOException when packaging or binding the port fails
   */
  public static ChartRepository start(Path chartsFolder, Path packageFolder) {
    return start(chartsFolder, packageFolder, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /**
   * Packages the charts in {@code chartsFolder} into {@code packageFolder} and serves them on
   * {@code address}; port 0 picks a free port.
   *
   * @throws IllegalArgumentException when {@code chartsFolder} contains no chart
   * @throws UncheckedIOException when packaging fails or the address cannot be bound, for example
   *     because another process holds the port
   */
  public static ChartRepository start(Path chartsFolder, Path packageFolder, InetSocketAddress address) {
    requireNonNull(chartsFolder, "chartsFolder");
    requireNonNull(packageFolder, "packageFolder");
    requireNonNull(address, "address");
    try {
      Files.createDirectories(packageFolder);
      List<Path> chartFolders = chartFolders(chartsFolder);
      checkArgument(!chartFolders.isEmpty(),
          "chartsFolder: %s (expected: a folder with one subfolder per chart, each with a Chart.yaml)",
          chartsFolder.toAbsolutePath());
      ObjectNode entries = YAML.createObjectNode();
      for (Path chartFolder : chartFolders) {
        packageChart(chartFolder, packageFolder, entries);
      }
      writeIndex(packageFolder, entries);

      HttpServer server = bind(address);
      ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chart-repository");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      List<String> charts = List.copyOf(iterableNames(entries));
      ChartRepository repository = new ChartRepository(server, executor, packageFolder, charts);
      server.createContext(BASE_PATH + "/", repository::serve);
      server.start();
      log.info("Chart repository started. url={} charts={}", repository.url(), charts);
      return repository;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the chart repository for " + chartsFolder, e);
    }
  }

  /**
   * Returns the repository URL, {@code http://HOST:PORT/charts}, to use as a chart's {@code repo}.
   * HOST is the bound address, {@code 127.0.0.1} unless another address was given.
   */
  public String url() {
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + bound.getPort() + BASE_PATH;
  }

  /** Returns the names of the charts served, sorted. */
  public List<String> charts() {
    return charts;
  }

  /** Stops serving. The packaged files stay in the package folder. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    log.info("Chart repository stopped. folder={}", packageFolder);
  }

  private static HttpServer bind(InetSocketAddress address) throws IOException {
    try {
      return HttpServer.create(address, 0);
    } catch (BindException e) {
      throw new BindException("Cannot bind the chart repository to " + address.getHostString() + ":" + address.getPort()
          + ": " + e.getMessage() + ". Stop the process that holds the port, or choose another port.");
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String file = exchange.getRequestURI().getPath().substring(BASE_PATH.length() + 1);
      // Only plain file names of this folder are served: no subfolders, no "..".
      Path path = packageFolder.resolve(file);
      boolean servable = "GET".equals(exchange.getRequestMethod())
          && file.matches("[A-Za-z0-9._-]+")
          && !file.startsWith(".")
          && Files.isRegularFile(path);
      if (!servable) {
        log.debug("Chart repository request not found. method={} path={}", exchange.getRequestMethod(), file);
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(path);
      String type = file.endsWith(".yaml") ? "application/x-yaml" : "application/gzip";
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static List<Path> chartFolders(Path chartsFolder) throws IOException {
    try (Stream<Path> children = Files.list(chartsFolder)) {
      return children.filter(child -> Files.isRegularFile(child.resolve("Chart.yaml"))).sorted().toList();
    }
  }

  private static void packageChart(Path chartFolder, Path packageFolder, ObjectNode entries) throws IOException {
    JsonNode chart = YAML.readTree(chartFolder.resolve("Chart.yaml").toFile());
    String name = chart.path("name").asText();
    String version = chart.path("version").asText();
    new Helm(chartFolder).packageIt().withDestination(packageFolder).call();
    String archive = name + "-" + version + ".tgz";
    Path archivePath = packageFolder.resolve(archive);
    if (!Files.isRegularFile(archivePath)) {
      throw new IOException("helm package of " + chartFolder + " did not write " + archivePath);
    }

    // index.yaml entries are the chart's own metadata plus where to download it and its digest.
    ObjectNode entry = ((ObjectNode) chart).deepCopy();
    entry.put("created", Instant.now().toString());
    entry.put("digest", Hashing.sha256().hashBytes(Files.readAllBytes(archivePath)).toString());
    entry.putArray("urls").add(archive);
    JsonNode existing = entries.get(name);
    ArrayNode versions = existing instanceof ArrayNode array ? array : entries.putArray(name);
    versions.add(entry);
  }

  private static void writeIndex(Path packageFolder, ObjectNode entries) throws IOException {
    Map<String, Object> index = new TreeMap<>();
    index.put("apiVersion", "v1");
    index.put("entries", entries);
    index.put("generated", Instant.now().toString());
    YAML.writeValue(packageFolder.resolve(INDEX_FILE).toFile(), index);
  }

  private static List<String> iterableNames(ObjectNode entries) {
    List<String> names = new java.util.ArrayList<>();
    entries.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }
}
