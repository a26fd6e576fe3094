package com.petuum.rampart.common.observe;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain-HTTP endpoints for Prometheus and the kubelet: {@code /metrics} in the Prometheus text
 * format, {@code /healthz} (200 while the process runs) and {@code /readyz} (200 while the
 * process can do its work, 503 otherwise, with the reason in the body).
 *
 * <p>Lifecycle: {@link #start} binds the port and serves on one daemon thread; {@link #close}
 * stops at once and is idempotent. Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  /** Whether the process is ready, and why not. */
  public interface Readiness {
    /** Returns null when ready, else a short reason such as "ZooKeeper connection suspended". */
    String notReadyReason();

    static Readiness of(BooleanSupplier ready, String reason) {
      return () -> ready.getAsBoolean() ? null : reason;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and serves.
   *
   * @throws IOException when the port cannot be bound
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry, Readiness readiness)
      throws IOException {
    requireNonNull(registry, "registry");
    requireNonNull(readiness, "readiness");
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "metrics-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n", "text/plain; charset=utf-8"));
    server.createContext("/readyz", exchange -> {
      String reason = readiness.notReadyReason();
      if (reason == null) {
        respond(exchange, 200, "ok\n", "text/plain; charset=utf-8");
      } else {
        respond(exchange, 503, reason + "\n", "text/plain; charset=utf-8");
      }
    });
    server.start();
    log.info("Metrics and health endpoints serving. address={}:{}",
        server.getAddress().getHostString(), server.getAddress().getPort());
    return new MetricsServer(server, executor);
  }

  /** Returns the bound port, which differs from the requested one when that was 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
