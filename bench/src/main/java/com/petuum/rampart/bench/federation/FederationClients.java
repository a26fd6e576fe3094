package com.petuum.rampart.bench.federation;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One Kubernetes client per cluster of the local federation, built from the merged kubeconfig
 * whose contexts are named after the clusters ({@code hub}, {@code gpu-east}, ...).
 */
public final class FederationClients {

  static final String HUB = "hub";

  private final Map<String, ApiClient> clients;

  private FederationClients(Map<String, ApiClient> clients) {
    this.clients = clients;
  }

  /**
   * Builds a client for every context in {@code kubeconfig}.
   *
   * @throws IllegalArgumentException when the file has no {@code hub} context
   */
  public static FederationClients load(Path kubeconfig) {
    Map<String, ApiClient> clients = new TreeMap<>();
    try {
      for (String context : contexts(kubeconfig)) {
        try (Reader reader = Files.newBufferedReader(kubeconfig)) {
          KubeConfig config = KubeConfig.loadKubeConfig(reader);
          config.setContext(context);
          ApiClient client = ClientBuilder.kubeconfig(config).build();
          // Pod lists and graph reads are small; a stuck call should fail the poll, not hang it.
          client.setReadTimeout(10_000);
          clients.put(context, client);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read kubeconfig " + kubeconfig, e);
    }
    if (!clients.containsKey(HUB)) {
      throw new IllegalArgumentException("kubeconfig " + kubeconfig + " has no context '" + HUB + "' (contexts: "
          + clients.keySet() + "); pass the kubeconfig that 'rampartctl local up' wrote");
    }
    return new FederationClients(Map.copyOf(clients));
  }

  public ApiClient hub() {
    return clients.get(HUB);
  }

  /**
   * Returns the client of member cluster {@code name}.
   *
   * @throws NoSuchElementException when the kubeconfig has no context of that name
   */
  ApiClient member(String name) {
    ApiClient client = clients.get(name);
    if (client == null || HUB.equals(name)) {
      throw new NoSuchElementException("no kubeconfig context for member cluster " + name + " (contexts: "
          + clients.keySet() + ")");
    }
    return client;
  }

  /** Returns the names of all clusters, the hub included, sorted. */
  Set<String> clusters() {
    return new TreeSet<>(clients.keySet());
  }

  /** Returns the client of any cluster, the hub included. */
  ApiClient client(String name) {
    ApiClient client = clients.get(name);
    if (client == null) {
      throw new NoSuchElementException("no kubeconfig context " + name + " (contexts: " + clients.keySet() + ")");
    }
    return client;
  }

  private static Iterable<String> contexts(Path kubeconfig) throws IOException {
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      return config.getContexts().stream()
          .map(context -> String.valueOf(((Map<?, ?>) context).get("name")))
          .toList();
    }
  }
}
