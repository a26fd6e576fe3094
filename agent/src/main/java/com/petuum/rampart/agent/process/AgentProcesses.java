package com.petuum.rampart.agent.process;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.controller.ControllerSettings;
import com.petuum.rampart.agent.controller.HubSlices;
import com.petuum.rampart.agent.controller.LocalGraphController;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.identity.SecretCredentialStore;
import com.petuum.rampart.agent.inventory.KubernetesInventorySource;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.proto.identity.CaPin;
import com.petuum.rampart.proto.identity.ClusterName;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an agent: joins the hub once with the bootstrap token (the credentials then live in a
 * Secret on the member, so a restarted agent reconnects without a token), then connects and
 * streams inventory and work status.
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

    AgentSettings settings = AgentSettings.defaults(hub, AGENT_VERSION, kubernetesVersion(client));
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "agent-hub-client");
      thread.setDaemon(true);
      return thread;
    });
    HubClient hubClient = new HubClient(settings, cluster, credentials, joiner,
        injector.getInstance(WorkStore.class),
        injector.getInstance(KubernetesInventorySource.class),
        scheduler, injector.getInstance(Clock.class), new SecureRandom());
    hubClient.start();
    // NOTE: hub-owned graphs are not reverted after local edits yet (HubSlices.NONE), because the
    // work store keeps slice hashes, not the slices themselves.
    LocalGraphController controller = new LocalGraphController(client, options.kubeconfig(),
        ControllerSettings.defaults(options.workFolder()), HubSlices.NONE, injector.getInstance(Clock.class));
    controller.start();
    log.info("Agent started. cluster={} hub={}", cluster, hub);
    return () -> {
      controller.close();
      hubClient.close();
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
      log.info("Agent stopped. cluster={}", cluster);
    };
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
