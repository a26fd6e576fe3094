package com.petuum.rampart.testbed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for kube-proxy between one test cluster's kube-apiserver and processes on
 * 127.0.0.1, so that webhooks registered with {@code clientConfig.service}, as Helm charts
 * register them, reach a hub or agent that runs as a local process.
 *
 * <p>kube-apiserver calls a webhook Service at {@code https://NAME.NAMESPACE.svc:PORT}, and its
 * client honours {@code HTTPS_PROXY}. The test bed starts the apiserver with
 * {@code HTTPS_PROXY} set to this HTTP CONNECT proxy, which tunnels to the loopback port
 * registered for that Service with {@link #route}. It never dials the Service's address: a
 * Service without a route gets {@code 502 Bad Gateway}. Go's proxy selection leaves loopback
 * addresses alone, so etcd and other local traffic bypass the proxy.
 */
final class ServiceProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final String clusterName;
  private final ServerSocket server;
  private final Map<String, Integer> routes = new ConcurrentHashMap<>();
  private volatile Supplier<KubeApi> api;

  private ServiceProxy(String clusterName, ServerSocket server) {
    this.clusterName = clusterName;
    this.server = server;
  }

  /** Binds a free port on 127.0.0.1 and starts accepting; Services resolve once {@link #attach} is called. */
  static ServiceProxy start(String clusterName) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      ServiceProxy proxy = new ServiceProxy(clusterName, server);
      Thread acceptor = new Thread(proxy::acceptLoop, "service-proxy-" + clusterName);
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind the service proxy of cluster " + clusterName, e);
    }
  }

  /** Returns the value for the apiserver's {@code HTTPS_PROXY}. */
  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Gives the proxy the cluster's API, which exists only after the apiserver it serves has started. */
  void attach(Supplier<KubeApi> clusterApi) {
    this.api = requireNonNull(clusterApi, "clusterApi");
  }

  /** Sends connections for {@code namespace/service:servicePort} to {@code 127.0.0.1:localPort}. */
  void route(String namespace, String service, int servicePort, int localPort) {
    routes.put(key(namespace, service, servicePort), localPort);
    log.info("Routing a Service to a local port. cluster={} service={}/{}:{} localPort={}",
        clusterName, namespace, service, servicePort, localPort);
  }

  private static String key(String namespace, String service, int port) {
    return namespace + "/" + service + ":" + port;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> handle(client), "service-proxy-" + clusterName + "-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.warn("Service proxy failed to accept a connection. cluster={}", clusterName, e);
        }
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      String header = readHeader(client.getInputStream());
      String[] requestLine = header.lines().findFirst().orElse("").split(" ");
      if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
        reply(client, "405 Method Not Allowed");
        return;
      }
      String target = requestLine[1];
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(target.substring(colon + 1));
      Optional<Integer> localPort = serviceAt(host, port).map(routes::get);
      if (localPort.isEmpty()) {
        log.warn("No route for a proxied connection; register one with KubeCluster.routeService. cluster={} target={}",
            clusterName, target);
        reply(client, "502 Bad Gateway");
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), localPort.get())) {
        reply(client, "200 Connection Established");
        Thread upload = new Thread(() -> copy(client, upstream), "service-proxy-" + clusterName + "-upload");
        upload.setDaemon(true);
        upload.start();
        copy(upstream, client);
        upload.join();
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Proxied connection ended with an error. cluster={}", clusterName, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns the route key of the Service that {@code host} names, either as
   * {@code NAME.NAMESPACE.svc}, which is how kube-apiserver addresses webhook Services, or by its
   * cluster IP.
   */
  private Optional<String> serviceAt(String host, int port) {
    String[] labels = host.replaceFirst("\\.cluster\\.local$", "").split("\\.");
    if (labels.length == 3 && labels[2].equals("svc")) {
      return Optional.of(key(labels[1], labels[0], port));
    }
    Supplier<KubeApi> clusterApi = api;
    if (clusterApi == null) {
      return Optional.empty();
    }
    KubeApi.Response services = clusterApi.get().get("/api/v1/services");
    if (!services.isSuccess()) {
      log.warn("Cannot list Services to resolve a cluster IP. cluster={} status={}", clusterName, services.status());
      return Optional.empty();
    }
    for (JsonNode service : services.body().path("items")) {
      if (!host.equals(service.path("spec").path("clusterIP").asText())) {
        continue;
      }
      for (JsonNode servicePort : service.path("spec").path("ports")) {
        if (servicePort.path("port").asInt() == port) {
          JsonNode metadata = service.path("metadata");
          return Optional.of(key(metadata.path("namespace").asText(), metadata.path("name").asText(), port));
        }
      }
    }
    return Optional.empty();
  }

  private static String readHeader(InputStream in) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0 || header.size() > MAX_HEADER_BYTES) {
        throw new IOException("incomplete or oversized CONNECT request");
      }
      header.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return header.toString(StandardCharsets.ISO_8859_1);
  }

  private static void reply(Socket client, String status) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(("HTTP/1.1 " + status + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Copies until {@code from} ends, then half-closes {@code to} so the other direction can finish. */
  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // The peer closed the connection; the other direction notices on its own.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.debug("Closing the service proxy failed. cluster={}", clusterName, e);
    }
  }
}
