package com.petuum.rampart.admission.server;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listening address of an admission server (the hub's or an agent's) and the way its apiserver reaches
 * it. Immutable.
 *
 * @param port the port to listen on; 0 means the process runs no webhooks
 * @param host the address to bind, such as {@code 0.0.0.0} in a pod or {@code 127.0.0.1}
 * @param endpoint how the apiserver calls the server: a base URL or a Service. Empty means the
 *     server's own {@code https://host:port}, which only works when {@code host} is an address
 *     the apiserver can reach
 */
public record WebhookSettings(int port, String host, Optional<WebhookEndpoint> endpoint) {

  /** The default port of the webhook server, the same as controller-runtime's webhook server default. */
  public static final int DEFAULT_PORT = 9443;

  private static final Pattern SERVICE = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([0-9]{1,5})");

  public WebhookSettings {
    checkArgument(port >= 0 && port <= 65535, "--webhook-port: %s (expected: 0 to disable, or 1 to 65535)", port);
    requireNonNull(host, "host");
    requireNonNull(endpoint, "endpoint");
  }

  /** Returns settings that run no webhooks. */
  public static WebhookSettings disabled() {
    return new WebhookSettings(0, "127.0.0.1", Optional.empty());
  }

  /** Returns whether the process runs its admission server. */
  public boolean enabled() {
    return port != 0;
  }

  /**
   * Builds settings from the command-line options.
   *
   * @param url {@code --webhook-url}, an https base URL, or null
   * @param service {@code --webhook-service} as {@code NAMESPACE/NAME:PORT}, or null
   * @throws IllegalArgumentException naming the option, the value and the expected form
   */
  public static WebhookSettings fromOptions(int port, String host, String url, String service) {
    checkArgument(url == null || service == null,
        "--webhook-url: %s and --webhook-service: %s (expected: at most one of them)", url, service);
    Optional<WebhookEndpoint> endpoint = Optional.empty();
    if (url != null) {
      endpoint = Optional.of(parseUrl(url));
    } else if (service != null) {
      endpoint = Optional.of(parseService(service));
    }
    // Without an endpoint the server registers its own https://host:port, which for a wildcard
    // address is no URL the apiserver can call and is not in the generated certificate.
    boolean wildcard = isIpLiteral(host) && InetAddresses.forString(bare(host)).isAnyLocalAddress();
    checkArgument(port == 0 || endpoint.isPresent() || !wildcard,
        "--webhook-host: %s (expected: --webhook-url or --webhook-service as well, because the apiserver cannot call "
            + "a wildcard address; or a concrete address such as 127.0.0.1)", host);
    return new WebhookSettings(port, host, endpoint);
  }

  /**
   * Returns the DNS names the generated serving certificate must contain besides 127.0.0.1 and ::1:
   * the Service's names, or the URL's host when it is a name.
   */
  public List<String> certificateDnsNames() {
    if (endpoint.isEmpty()) {
      return List.of();
    }
    WebhookEndpoint target = endpoint.get();
    if (target.baseUrl().isEmpty()) {
      return AdmissionServer.serviceDnsNames(target.serviceNamespace(), target.serviceName());
    }
    String host = URI.create(target.baseUrl().get()).getHost();
    return isIpLiteral(host) ? List.of() : List.of(host);
  }

  private static WebhookEndpoint parseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--webhook-url: " + url + " (expected: an https URL such as https://127.0.0.1:9443)", e);
    }
    checkArgument("https".equals(uri.getScheme()) && uri.getHost() != null,
        "--webhook-url: %s (expected: an https URL such as https://127.0.0.1:9443; the apiserver calls webhooks over TLS only)", url);
    String host = uri.getHost();
    boolean loopback = host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    // The generated certificate contains only 127.0.0.1, ::1 and DNS names, so another IP would fail TLS.
    checkArgument(loopback || !isIpLiteral(host),
        "--webhook-url: %s (expected: the host 127.0.0.1, ::1 or a DNS name; the generated serving certificate "
            + "contains no other IP address)", url);
    return WebhookEndpoint.url(url);
  }

  private static WebhookEndpoint parseService(String service) {
    Matcher matcher = SERVICE.matcher(service);
    checkArgument(matcher.matches(),
        "--webhook-service: %s (expected: NAMESPACE/NAME:PORT, such as rampart-system/rampart-agent-webhook:443)", service);
    int port = Integer.parseInt(matcher.group(5));
    checkArgument(port >= 1 && port <= 65535, "--webhook-service: %s (expected: a port from 1 to 65535)", service);
    return WebhookEndpoint.service(matcher.group(1), matcher.group(3), port);
  }

  private static boolean isIpLiteral(String host) {
    return InetAddresses.isInetAddress(bare(host));
  }

  /** Returns {@code host} without the brackets of a URL's IPv6 literal. */
  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Returns how the apiserver reaches the server, for logs: the URL or {@code namespace/name:port}. */
  public String describeEndpoint() {
    return endpoint
        .map(target -> target.baseUrl().orElse(
            target.serviceNamespace() + "/" + target.serviceName() + ":" + target.servicePort()))
        .orElse("https://" + host + ":" + port);
  }
}
