package com.petuum.rampart.agent.inventory;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.common.status.ApiErrorText;
import com.petuum.rampart.proto.v1.Inventory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;

/**
 * Reads the inventory from the member's own apiserver: lists nodes, and pods not in a terminal
 * phase, and computes the result with {@link InventoryCalculator}. Thread-safe.
 *
 * <p>NOTE: each read lists every node and pod; large clusters want informers instead, so that a
 * read costs nothing. The agent reads once per inventory interval.
 */
public final class KubernetesInventorySource implements InventorySource {

  private final CoreV1Api api;
  private final List<String> capabilities;

  /** Creates a source; the caller owns the client. */
  public KubernetesInventorySource(ApiClient client, List<String> capabilities) {
    this.api = new CoreV1Api(requireNonNull(client, "client"));
    this.capabilities = List.copyOf(capabilities);
  }

  @Override
  public Inventory current() {
    try {
      List<V1Node> nodes = api.listNode().execute().getItems();
      List<V1Pod> pods =
          api.listPodForAllNamespaces()
              .fieldSelector("status.phase!=Succeeded,status.phase!=Failed")
              .execute()
              .getItems();
      return InventoryCalculator.calculate(nodes, pods, capabilities);
    } catch (ApiException e) {
      throw new IllegalStateException(
          "Failed to list nodes and pods: " + ApiErrorText.withCode(e.getCode(), e.getResponseBody(), e.getMessage()), e);
    }
  }
}
