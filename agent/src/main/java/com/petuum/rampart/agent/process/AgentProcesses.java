package com.petuum.rampart.agent.process;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.controller.ControllerSettings;
import com.petuum.rampart.agent.controller.LocalGraphController;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.identity.SecretCredentialStore;
import com.petuum.rampart.agent.inventory.KubernetesInventorySource;
import com.petuum.rampart.agent.slice.LocalGraphWriter;
import com.petuum.rampart.agent.status.StatusReporter;
import com.petuum.rampart.agent.webhook.AgentWebhooks;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.common.observe.MetricsServer;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an agent. It joins the hub once with the bootstrap token, and the credentials then live
 * in a Secret on the member, so a restarted agent reconnects without a token. Then it starts, in
 * this order:
 *
 * <ol>
 *   <li>the webhook server, unless disabled;
 *   <li>the hub client, which streams inventory and writes slices as local graphs;
 *   <li>the local graph controller, which reverts local edits of hub-owned graphs to the slice
 *       last written;
 *   <li>the status reporter, which the hub client asks to report everything again after each
 *       Welcome.
 * </ol>
 *
 * <p>The returned handle closes them in reverse order. A failed start closes what had started.
 */
public final class AgentProcesses {

  private static final Logger log = LoggerFactory.getLogger(AgentProcesses.class);

  /** The agent's version as it reports it to the hub. */
  public static final String AGENT_VERSION = "0.1.0";

  private AgentProcesses() {}

  /**
   * Joins if needed, connects, and returns the handle that stops the agent.
   *
   * @throws IllegalStateException with the reason when the agent cannot start, for example a
   *     missing token before the first join or a hub that rejects the token
   */
  public static AutoCloseable start(AgentOptions options) {
    Injector injector = Guice.createInjector(Stage.DEVELOPMENT, new AgentModule(options));
    ApiClient client = injector.getInstance(ApiClient.class);
    ClusterName cluster = injector.getInstance(ClusterName.class);
    HubAddress hub = injector.getInstance(HubAddress.class);
    ensureNamespace(client, options.namespace());

    SecretCredentialStore credentials = injector.getInstance(SecretCredentialStore.class);
    Joiner joiner = injector.getInstance(Joiner.class);
    Optional<AgentCredentials> stored = credentials.load();
    if (stored.isEmpty()) {
      String token = options.token().orElseThrow(() -> new IllegalStateException(
          "Cluster " + cluster + " has not joined yet and no bootstrap token was given. Create one on the hub with "
              + "'rampartctl cluster token create --cluster " + cluster.value() + " --hub-address " + hub
              + "' and pass it with --token-file."));
      credentials.save(joiner.join(hub, CaPin.parse(options.caHash()), cluster, token));
      log.info("Joined the hub. cluster={} hub={}", cluster, hub);
    } else {
      log.info("Found credentials from an earlier join; connecting. cluster={} hub={}", cluster, hub);
    }

    Clock clock = injector.getInstance(Clock.class);
    AgentSettings settings = AgentSettings.defaults(hub, AGENT_VERSION, kubernetesVersion(client));
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "agent-hub-client");
      thread.setDaemon(true);
      return thread;
    });
    // Everything started so far, closed in reverse order on stop or when a later step fails.
    Deque<AutoCloseable> started = new ArrayDeque<>();
    started.push(() -> {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    });
    try {
      // Webhooks first, so that pods the controller's releases create are wired from the start.
      AgentWebhooks.start(client, options.webhooks()).ifPresent(started::push);

      HubClient hubClient = new HubClient(settings, cluster, credentials, joiner,
          injector.getInstance(WorkStore.class),
          injector.getInstance(KubernetesInventorySource.class),
          scheduler, clock, new SecureRandom());
      StatusReporter reporter = new StatusReporter(client, hubClient::reportStatus,
          StatusReporter.DEFAULT_POLL_INTERVAL, StatusReporter.DEFAULT_MIN_SEND_INTERVAL, clock);
      // After every Welcome the hub may be a new leader that has no status of this cluster yet.
      hubClient.onWelcome(reporter::resendAll);
      hubClient.start();
      started.push(hubClient);

      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      Gauge.builder("rampart_agent_connected", hubClient, c -> c.isConnected() ? 1 : 0)
          .description("1 while the agent has an open stream to the hub leader, else 0")
          .register(registry);
      if (options.metricsPort() != 0) {
        // Ready once started: the agent keeps reconciling without the hub, and its webhooks
        // must stay in the Service while the hub is away.
        started.push(MetricsServer.start(
            new InetSocketAddress(options.webhooks().host(), options.metricsPort()), registry, () -> null));
      }

      LocalGraphController controller = new LocalGraphController(client, options.kubeconfig(),
          ControllerSettings.defaults(options.workFolder()),
          injector.getInstance(LocalGraphWriter.class).appliedSpecs(), clock, registry);
      controller.start();
      started.push(controller);

      reporter.start();
      started.push(reporter);
    } catch (IOException e) {
      closeAll(started, cluster);
      throw new IllegalStateException("Cannot serve metrics on " + options.webhooks().host() + ":"
          + options.metricsPort() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(started, cluster);
      throw e;
    }
    log.info("Agent started. cluster={} hub={} webhooks={}", cluster, hub,
        options.webhooks().enabled() ? options.webhooks().host() + ":" + options.webhooks().port() : "disabled");
    return () -> {
      closeAll(started, cluster);
      log.info("Agent stopped. cluster={}", cluster);
    };
  }

  /** Closes each part, newest first, and keeps going when one fails. */
  private static void closeAll(Deque<AutoCloseable> started, ClusterName cluster) {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("Stopping a part of the agent failed; stopping the rest. cluster={} part={}", cluster,
            part.getClass().getSimpleName(), e);
      }
    }
  }

  private static String kubernetesVersion(ApiClient client) {
    try {
      return new VersionApi(client).getCode().execute().getGitVersion();
    } catch (ApiException e) {
      throw new IllegalStateException("Cannot read the member apiserver's version: HTTP " + e.getCode(), e);
    }
  }

  private static void ensureNamespace(ApiClient client, String namespace) {
    try {
      new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("Cannot create namespace " + namespace + " on the member apiserver: HTTP "
            + e.getCode() + " " + e.getResponseBody(), e);
      }
    }
  }
}
