package com.petuum.rampart.hub.process;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.ZooKeeperLeadership;
import com.petuum.rampart.hub.server.FederationServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
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
  private FederationServer started;
  private boolean closed;

  @Inject
  HubProcess(
      HubOptions options,
      ApiClient client,
      Optional<CuratorFramework> curator,
      Provider<Leadership> leadership,
      Provider<FederationServer> server) {
    this.options = options;
    this.client = client;
    this.curator = curator;
    this.leadership = leadership;
    this.server = server;
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
      if (leadership.get() instanceof ZooKeeperLeadership election) {
        election.start();
      }
      started = server.get().start();
      log.info("Hub replica started. agentEndpoint={} advertised={} namespace={} zookeeper={}",
          options.listenHost() + ":" + started.port(), options.advertiseAddress(), options.namespace(),
          options.zooKeeper().orElse("none (single replica)"));
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
    if (started != null) {
      started.close();
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
