package com.petuum.rampart.hub.process;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.petuum.rampart.admission.server.AdmissionServer;
import com.petuum.rampart.admission.server.AdmissionServers;
import com.petuum.rampart.admission.server.ServingCertificate;
import com.petuum.rampart.admission.server.WebhookEndpoint;
import com.petuum.rampart.admission.server.WebhookSettings;
import com.petuum.rampart.common.observe.MetricsServer;
import com.petuum.rampart.hub.control.HubGraphController;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.LeadershipListener;
import com.petuum.rampart.hub.leader.ZooKeeperLeadership;
import com.petuum.rampart.hub.metrics.HubMetrics;
import com.petuum.rampart.hub.server.FederationServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running hub replica. {@link #start} prepares the namespace, connects to ZooKeeper, joins
 * the election and opens the agent endpoint, in that order; {@link #close} undoes it in reverse.
 *
 * <p>Not thread-safe: the main thread starts it and the shutdown hook closes it.
 */
final class HubProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HubProcess.class);
  private static final long ZOOKEEPER_CONNECT_SECONDS = 30;

  private final HubOptions options;
  private final ApiClient client;
  private final Optional<CuratorFramework> curator;
  private final Provider<Leadership> leadership;
  private final Provider<FederationServer> server;
  private final Provider<HubGraphController> controller;
  private FederationServer started;
  private HubGraphController startedController;
  private AdmissionServer webhooks;
  private MetricsServer metricsServer;
  private final PrometheusMeterRegistry registry;
  private final Provider<Dispatcher> dispatcher;
  private boolean closed;

  @Inject
  HubProcess(
      HubOptions options,
      ApiClient client,
      Optional<CuratorFramework> curator,
      Provider<Leadership> leadership,
      Provider<FederationServer> server,
      Provider<HubGraphController> controller,
      Provider<Dispatcher> dispatcher,
      PrometheusMeterRegistry registry) {
    this.options = options;
    this.client = client;
    this.curator = curator;
    this.leadership = leadership;
    this.server = server;
    this.controller = controller;
    this.dispatcher = dispatcher;
    this.registry = registry;
  }

  /**
   * Starts the replica.
   *
   * @throws IllegalStateException when the hub apiserver or ZooKeeper cannot be reached, or the
   *     port cannot be bound; what was started is closed first
   */
  void start() {
    try {
      ensureNamespace();
      if (curator.isPresent()) {
        CuratorFramework zooKeeper = curator.get();
        zooKeeper.start();
        if (!zooKeeper.blockUntilConnected((int) ZOOKEEPER_CONNECT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("Cannot connect to ZooKeeper at " + options.zooKeeper().get()
              + " within " + ZOOKEEPER_CONNECT_SECONDS + " s; check --zookeeper and that ZooKeeper runs.");
        }
      }
      startWebhooks();
      if (leadership.get() instanceof ZooKeeperLeadership election) {
        election.start();
      }
      startedController = controller.get();
      startedController.start();
      started = server.get().start();
      HubMetrics.bind(registry, startedController.gatedLeadership(), dispatcher.get(), () -> started);
      if (options.metricsPort() != 0) {
        metricsServer = MetricsServer.start(new InetSocketAddress(options.listenHost(), options.metricsPort()), registry,
            () -> null);
      }
      log.info("Hub replica started. agentEndpoint={} advertised={} namespace={} zookeeper={}",
          options.listenHost() + ":" + started.port(), options.advertiseAddress(), options.namespace(),
          options.zooKeeper().orElse("none (single replica)"));
    } catch (ApiException e) {
      close();
      throw new IllegalStateException("Cannot register the admission webhooks on the hub apiserver: HTTP "
          + e.getCode() + " " + e.getResponseBody(), e);
    } catch (IOException e) {
      close();
      throw new IllegalStateException("Cannot open the agent endpoint on " + options.listenHost() + ":"
          + options.port() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while connecting to ZooKeeper", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the admission server and points the webhook configurations and the graph CRD's
   * conversion at it, so graphs are validated and converted before the controller reads them.
   */
  private void startWebhooks() throws IOException, ApiException {
    WebhookSettings settings = options.webhooks();
    if (!settings.enabled()) {
      log.warn("Running without admission webhooks (--webhook-port 0): graphs are not validated on apply, "
          + "and only rampart.petuum.com/v1 graphs can be read.");
      return;
    }
    List<String> names = new ArrayList<>(settings.certificateDnsNames());
    names.add("localhost");
    webhooks = AdmissionServers.startHubUnregistered(client, new InetSocketAddress(settings.host(), settings.port()),
        ServingCertificate.generate(names));
    boolean behindService = settings.endpoint().map(e -> e.baseUrl().isEmpty()).orElse(false);
    if (behindService || !(leadership.get() instanceof ZooKeeperLeadership election)) {
      // A Service reaches every replica, and a lone replica is always the one to call.
      AdmissionServers.registerHub(webhooks, client, settings.endpoint());
    } else {
      // A URL names one replica: the leader points the apiserver at itself each time it wins,
      // so the webhooks move with leadership instead of staying on a replica that may be gone.
      election.addListener(new LeadershipListener() {
        @Override
        public void leadershipAcquired(Epoch epoch) {
          try {
            AdmissionServers.registerHub(webhooks, client, settings.endpoint());
            log.info("Registered this replica's admission webhooks. epoch={} address={}", epoch, webhooks.baseUrl());
          } catch (ApiException | RuntimeException e) {
            log.error("Cannot register the admission webhooks; graphs cannot be applied until a leader does. epoch={}",
                epoch, e);
          }
        }

        @Override
        public void leadershipLost(Epoch epoch) {
          // The next leader registers its own server.
        }
      });
    }
    log.info("Admission webhooks serving. address={} endpoint={} registration={}", webhooks.baseUrl(),
        settings.endpoint().map(WebhookEndpoint::toString).orElse(webhooks.baseUrl()),
        behindService || !(leadership.get() instanceof ZooKeeperLeadership) ? "at start" : "while leading");
  }

  private void ensureNamespace() {
    CoreV1Api core = new CoreV1Api(client);
    try {
      core.readNamespace(options.namespace()).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw new IllegalStateException("Cannot read namespace " + options.namespace() + " on the hub apiserver: HTTP "
            + e.getCode() + " " + e.getResponseBody(), e);
      }
      try {
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(options.namespace()))).execute();
        log.info("Created the hub namespace. namespace={}", options.namespace());
      } catch (ApiException created) {
        if (created.getCode() != 409) {
          throw new IllegalStateException("Cannot create namespace " + options.namespace() + " on the hub apiserver: HTTP "
              + created.getCode() + " " + created.getResponseBody(), created);
        }
      }
    }
  }

  /** Closes the endpoint, leaves the election and disconnects from ZooKeeper. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (started != null) {
      started.close();
    }
    if (startedController != null) {
      startedController.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
    if (curator.isPresent()) {
      if (leadership.get() instanceof ZooKeeperLeadership election) {
        election.close();
      }
      curator.get().close();
    }
    log.info("Hub replica stopped.");
  }
}
