package com.petuum.rampart.hub.process;

import com.petuum.rampart.admission.server.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of one hub replica, as given on its command line.
 *
 * @param kubeconfig kubeconfig of the hub apiserver; empty to use the in-cluster service account
 * @param namespace namespace of the hub's Secrets (CA, bootstrap tokens)
 * @param listenHost address the agent endpoint binds
 * @param port port of the agent endpoint
 * @param advertiseAddress {@code host:port} that agents dial; it goes into the serving
 *     certificate and into redirects from followers
 * @param zooKeeper ZooKeeper connect string; empty runs a single replica that always leads
 * @param zooKeeperPath ZooKeeper folder of this hub's election and fencing epoch
 * @param webhooks where the admission webhook server listens and how the hub apiserver calls it
 * @param zooKeeperSessionTimeout ZooKeeper session timeout: a leader cut off for this long has
 *     certainly lost its term, and a new leader takes over after about this long
 * @param metricsPort port of the plain-HTTP /metrics, /healthz and /readyz endpoints on
 *     {@code listenHost}; 0 serves none
 */
public record HubOptions(
    Optional<Path> kubeconfig,
    String namespace,
    String listenHost,
    int port,
    String advertiseAddress,
    Optional<String> zooKeeper,
    String zooKeeperPath,
    WebhookSettings webhooks,
    Duration zooKeeperSessionTimeout,
    int metricsPort) {

  /** Returns the host part of {@link #advertiseAddress}. */
  public String advertiseHost() {
    int colon = advertiseAddress.lastIndexOf(':');
    return colon < 0 ? advertiseAddress : advertiseAddress.substring(0, colon);
  }
}
