package com.petuum.rampart.common.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsHealthAndReadiness() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("rampart_test_events", "kind", "apply").increment(3);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), registry,
        MetricsServer.Readiness.of(ready::get, "not leading yet"))) {
      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("rampart_test_events_total{kind=\"apply\"} 3.0");
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

      HttpResponse<String> notReady = get(server, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("not leading yet\n");
      ready.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void otherMethodsAreRejected() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, () -> null)) {
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/metrics"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }
  }

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(MetricsServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
