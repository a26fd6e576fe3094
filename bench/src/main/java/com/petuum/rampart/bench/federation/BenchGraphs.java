package com.petuum.rampart.bench.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Finds and deletes the graph copies that carry the bench label, on the hub and on every member. */
final class BenchGraphs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FederationClients clients;
  private final String namespace;

  BenchGraphs(FederationClients clients, String namespace) {
    this.clients = clients;
    this.namespace = namespace;
  }

  /** Returns the names of the labelled copies on the hub. */
  List<String> onHub() throws ApiException {
    Object list = new CustomObjectsApi(clients.hub())
        .listNamespacedCustomObject(GraphTrial.GROUP, GraphTrial.VERSION, namespace, GraphTrial.PLURAL)
        .labelSelector(GraphTrial.BENCH_LABEL + "=" + GraphTrial.BENCH_LABEL_VALUE)
        .execute();
    List<String> names = new ArrayList<>();
    for (JsonNode item : JSON.valueToTree(list).path("items")) {
      names.add(item.path("metadata").path("name").asText());
    }
    return names;
  }

  /**
   * Deletes {@code names} on the hub and waits until neither the hub nor any member has a graph
   * of those names left.
   *
   * @throws TimeoutException naming the graphs still present after {@code timeout}
   */
  void deleteAndWait(List<String> names, Duration timeout) throws ApiException, TimeoutException, InterruptedException {
    CustomObjectsApi hub = new CustomObjectsApi(clients.hub());
    for (String name : names) {
      try {
        hub.deleteNamespacedCustomObject(GraphTrial.GROUP, GraphTrial.VERSION, namespace, GraphTrial.PLURAL, name).execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }

    Instant deadline = Instant.now().plus(timeout);
    List<String> remaining = remaining(names);
    while (!remaining.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("graphs still present " + timeout.toSeconds() + " s after deletion (cluster/name): "
            + remaining.size() + ", first " + remaining.subList(0, Math.min(10, remaining.size())));
      }
      Thread.sleep(GraphTrial.POLL.toMillis() * 5);
      remaining = remaining(names);
    }
  }

  /** Returns {@code cluster/name} for every copy still present on the hub or a member. */
  private List<String> remaining(List<String> names) throws ApiException {
    List<String> remaining = new ArrayList<>();
    for (String cluster : clients.clusters()) {
      CustomObjectsApi api = new CustomObjectsApi(clients.client(cluster));
      for (String name : names) {
        if (!GraphTrial.get(api, namespace, name).isMissingNode()) {
          remaining.add(cluster + "/" + name);
        }
      }
    }
    return remaining;
  }
}
