package com.petuum.rampart.agent.process;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.admission.server.WebhookSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Settings of one agent, as given on its command line.
 *
 * @param kubeconfig kubeconfig of the member apiserver; empty to use the in-cluster service account
 * @param clusterName the member cluster's name on the hub
 * @param hubAddress {@code host:port} of the hub's agent endpoint
 * @param caHash pin of the hub CA, {@code sha256:<hex>}, as {@code rampartctl cluster token create} prints it
 * @param token bootstrap token; needed only until the agent has joined
 * @param namespace namespace on the member for the agent's credentials Secret
 * @param capabilities infrastructure this member offers, such as {@code pulsar}
 * @param workFolder where the local graph controller keeps chart archives and values files
 * @param webhooks where the member's admission server listens and how the apiserver reaches it
 * @param metricsPort port of the plain-HTTP /metrics, /healthz and /readyz endpoints, bound on the
 *     webhook host; 0 serves none
 */
public record AgentOptions(
    Optional<Path> kubeconfig,
    String clusterName,
    String hubAddress,
    String caHash,
    Optional<String> token,
    String namespace,
    List<String> capabilities,
    Path workFolder,
    WebhookSettings webhooks,
    int metricsPort) {

  public AgentOptions {
    capabilities = List.copyOf(capabilities);
    requireNonNull(webhooks, "webhooks");
  }

  /** Name of the Secret on the member that contains the agent's key and certificate. */
  public static final String CREDENTIALS_SECRET = "rampart-agent-credentials";
}
