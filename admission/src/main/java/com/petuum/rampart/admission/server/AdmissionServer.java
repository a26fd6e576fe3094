package com.petuum.rampart.admission.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.admission.conversion.GraphConverter;
import com.petuum.rampart.admission.mutation.PodMutator;
import com.petuum.rampart.admission.rules.GraphValidator;
import com.petuum.rampart.admission.rules.PolicyValidator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server the apiserver calls for admission and conversion. Thread-safe.
 *
 * <p>Paths:
 *
 * <ul>
 *   <li>{@value #VALIDATE_PATH}: AdmissionReview v1 for RampartGraphs and PlacementPolicies;
 *   <li>{@value #MUTATE_POD_PATH}: AdmissionReview v1 for pods, served only when a
 *       {@link ComponentDirectory} is given (the agent);
 *   <li>{@value #CONVERT_PATH}: ConversionReview v1 for RampartGraphs;
 *   <li>{@value #HEALTH_PATH}: 200 while the server runs.
 * </ul>
 *
 * <p>Guarantees: every review gets a 200 response with a review in it. A failure inside a handler
 * becomes a denial (or a failed conversion) whose message names what failed. Only a body that is
 * not JSON gets a 400, and one that is too large a 413.
 *
 * <p>Lifecycle: {@link #start} once, then {@link #close}; {@code close} is idempotent. The server
 * owns its executor and stops it on close.
 */
public final class AdmissionServer implements AutoCloseable {

  public static final String VALIDATE_PATH = "/validate";
  public static final String MUTATE_POD_PATH = "/mutate/pod";
  public static final String CONVERT_PATH = "/convert";
  public static final String HEALTH_PATH = "/healthz";

  /**
   * Largest request body read. The apiserver accepts objects up to 3 MiB, and an UPDATE review
   * carries the object twice.
   */
  public static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  /** Default number of threads that handle reviews. */
  public static final int DEFAULT_THREADS = 4;

  /**
   * JDK property that turns on TCP_NODELAY for {@code com.sun.net.httpserver}. Without it, the
   * response headers and body go out as two small writes, and Nagle's algorithm holds the body
   * until the apiserver's delayed ACK: measured at about 40 ms extra per webhook call on the test
   * bed (see docs/benchmarks.md).
   */
  static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum State { NEW, STARTED, CLOSED }

  private final InetSocketAddress address;
  private final ServingCertificate certificate;
  private final ReviewHandler validation;
  private final ReviewHandler conversion;
  private final Optional<ReviewHandler> podMutation;
  private final int threads;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private State state = State.NEW;

  @GuardedBy("lock")
  private HttpsServer server;

  @GuardedBy("lock")
  private ExecutorService executor;

  private AdmissionServer(Builder builder) {
    this.address = builder.address;
    this.certificate = builder.certificate;
    this.validation = new ValidationHandler(builder.graphValidator, builder.policyValidator, builder.claims);
    this.conversion = new ConversionHandler(builder.converter);
    this.podMutation = builder.directory.map(d -> new PodMutationHandler(d, new PodMutator()));
    this.threads = builder.threads;
  }

  public static Builder builder(ServingCertificate certificate) {
    return new Builder(certificate);
  }

  /** Binds the address and starts serving requests. */
  public void start() throws IOException {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException("Cannot start the admission server in state " + state);
      }
      // NOTE: the JDK reads this property once, when the first HttpServer of the JVM is created;
      // a process that starts another HttpServer earlier must pass -Dsun.net.httpserver.nodelay=true.
      if (System.getProperty(NO_DELAY_PROPERTY) == null) {
        System.setProperty(NO_DELAY_PROPERTY, "true");
      }
      HttpsServer created = HttpsServer.create(address, 0);
      created.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
      created.createContext(VALIDATE_PATH, exchange -> serve(exchange, validation, false));
      created.createContext(CONVERT_PATH, exchange -> serve(exchange, conversion, true));
      podMutation.ifPresent(handler -> created.createContext(MUTATE_POD_PATH, exchange -> serve(exchange, handler, false)));
      created.createContext(HEALTH_PATH, AdmissionServer::serveHealth);
      ExecutorService pool = Executors.newFixedThreadPool(threads, namedThreads());
      created.setExecutor(pool);
      created.start();
      server = created;
      executor = pool;
      state = State.STARTED;
    }
    log.info("Admission server started. address={} podMutation={}", baseUrl(), podMutation.isPresent());
  }

  /** Returns the port the server listens on; valid once started. */
  public int port() {
    synchronized (lock) {
      if (state != State.STARTED) {
        throw new IllegalStateException("The admission server has no port in state " + state);
      }
      return server.getAddress().getPort();
    }
  }

  /** Returns {@code https://<host>:<port>}, with IPv6 hosts in brackets; valid once started. */
  public String baseUrl() {
    String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  public ServingCertificate certificate() {
    return certificate;
  }

  @Override
  public void close() {
    HttpsServer stopping;
    ExecutorService pool;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      stopping = server;
      pool = executor;
      state = State.CLOSED;
    }
    if (stopping != null) {
      stopping.stop(0);
      pool.shutdown();
      try {
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
      }
      log.info("Admission server stopped.");
    }
  }

  private void serve(HttpExchange exchange, ReviewHandler handler, boolean conversionReview) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, statusJson("use POST with an AdmissionReview or ConversionReview body"));
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        respond(exchange, 413, statusJson("request body over " + MAX_REQUEST_BYTES + " bytes"));
        return;
      }
      JsonNode review;
      try {
        review = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        respond(exchange, 400, statusJson("request body is not JSON: " + e.getOriginalMessage()));
        return;
      }
      respond(exchange, 200, JSON.writeValueAsBytes(answer(review, handler, conversionReview, exchange.getRequestURI().getPath())));
    }
  }

  /** Runs the handler and turns a failure inside it into a denial or a failed conversion. */
  private static ObjectNode answer(JsonNode review, ReviewHandler handler, boolean conversionReview, String path) {
    try {
      return handler.handle(review);
    } catch (RuntimeException e) {
      String uid = review.path("request").path("uid").asText("");
      log.error("Review handler failed inside; responding with a denial. path={} uid={}", path, uid, e);
      String message = "the Rampart webhook failed while handling this request (" + e + "); retry, and report it if it persists";
      return conversionReview
          ? ConversionHandler.failure(uid, message)
          : AdmissionResponses.denied(review, AdmissionResponses.INTERNAL_ERROR, "InternalError", message);
    }
  }

  private static void serveHealth(HttpExchange exchange) throws IOException {
    try (exchange) {
      respond(exchange, 200, "ok".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Reads the whole body; null when it is larger than {@link #MAX_REQUEST_BYTES}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
    return body.length > MAX_REQUEST_BYTES ? null : body;
  }

  private static byte[] statusJson(String message) throws JsonProcessingException {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", message);
    return JSON.writeValueAsBytes(status);
  }

  private static void respond(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", code == 200 && body.length > 0 && body[0] == '{' ? "application/json" : "text/plain");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static ThreadFactory namedThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "admission-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures an {@link AdmissionServer}. Not thread-safe. */
  public static final class Builder {

    private final ServingCertificate certificate;
    private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    private GraphValidator graphValidator = new GraphValidator();
    private PolicyValidator policyValidator = new PolicyValidator();
    private GraphConverter converter = new GraphConverter();
    private Optional<ComponentDirectory> directory = Optional.empty();
    private Optional<NamespaceClaimSource> claims = Optional.empty();
    private int threads = DEFAULT_THREADS;

    private Builder(ServingCertificate certificate) {
      this.certificate = requireNonNull(certificate, "certificate");
    }

    /** Sets the address to listen on; the default is 127.0.0.1 on a free port. */
    public Builder address(InetSocketAddress address) {
      this.address = requireNonNull(address, "address");
      return this;
    }

    /** Serves pod mutation, reading graphs and nodes through {@code directory}. */
    public Builder podMutation(ComponentDirectory directory) {
      this.directory = Optional.of(requireNonNull(directory, "directory"));
      return this;
    }

    /** Also rejects graphs whose component namespaces belong to another graph read from {@code source}. */
    public Builder namespaceClaims(NamespaceClaimSource source) {
      this.claims = Optional.of(requireNonNull(source, "source"));
      return this;
    }

    /** Sets how many threads handle reviews at once (default {@value #DEFAULT_THREADS}). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: " + threads + " (expected: 1 or more)");
      }
      this.threads = threads;
      return this;
    }

    public AdmissionServer build() {
      return new AdmissionServer(this);
    }
  }

  /** Returns the DNS names a generated certificate should hold for an in-cluster Service. */
  public static List<String> serviceDnsNames(String namespace, String service) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local");
  }
}
