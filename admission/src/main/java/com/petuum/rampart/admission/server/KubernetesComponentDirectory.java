package com.petuum.rampart.admission.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.model.RampartGraph;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.mutation.PodMutator;
import com.petuum.rampart.admission.rules.GraphModels;
import com.petuum.rampart.admission.rules.NamespaceClaims;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Node;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * Reads graphs and nodes from the cluster's own apiserver through client-java, for pod wiring and
 * for the namespace claims that validation checks. Thread-safe.
 *
 * <p>Graphs are listed on every lookup, so a pod or graph created right after another graph
 * sees it. Cluster
 * facts are cached for {@link #FACTS_TTL}, because GPU nodes come and go far less often than pods.
 */
public final class KubernetesComponentDirectory implements ComponentDirectory, NamespaceClaimSource {

  /** How long the cached cluster facts are reused before the nodes are listed again. */
  public static final Duration FACTS_TTL = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CustomObjectsApi customObjects;
  private final CoreV1Api core;
  private final String pulsarServiceUrl;
  private final String gitImage;
  private final Clock clock;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private ClusterFacts cachedFacts;

  @GuardedBy("lock")
  private Instant factsExpiry = Instant.MIN;

  /**
   * Creates a directory over the apiserver that {@code client} talks to; the caller owns and
   * closes the client.
   */
  public KubernetesComponentDirectory(ApiClient client, String pulsarServiceUrl, String gitImage, Clock clock) {
    requireNonNull(client, "client");
    this.customObjects = new CustomObjectsApi(client);
    this.core = new CoreV1Api(client);
    this.pulsarServiceUrl = requireNonNull(pulsarServiceUrl, "pulsarServiceUrl");
    this.gitImage = requireNonNull(gitImage, "gitImage");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Optional<ComponentWiring> wiringFor(String namespace, ClusterFacts facts) throws IOException {
    for (JsonNode item : listGraphs()) {
      String graphNamespace = item.path("metadata").path("namespace").asText("");
      RampartGraph graph = GraphModels.parse(item, graphNamespace);
      for (Component component : graph.components().values()) {
        if (graph.componentNamespace(component).equals(namespace)) {
          return Optional.of(ComponentWiring.of(graph, component.name(), facts));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public NamespaceClaims namespaceClaims() throws IOException {
    return NamespaceClaims.of(listGraphs());
  }

  /** Lists every RampartGraph of the cluster, in the storage version. */
  private JsonNode listGraphs() throws IOException {
    Object list;
    try {
      // NOTE: one list call per admission request; an informer cache would serve large clusters better.
      list = customObjects.listClusterCustomObject(GraphVersion.GROUP, GraphVersion.V1.versionName(), "rampartgraphs").execute();
    } catch (ApiException e) {
      throw new IOException("listing RampartGraphs failed with HTTP " + e.getCode() + ": " + e.getMessage(), e);
    }
    return JSON.valueToTree(list).path("items");
  }

  @Override
  public ClusterFacts clusterFacts() throws IOException {
    synchronized (lock) {
      if (cachedFacts != null && clock.instant().isBefore(factsExpiry)) {
        return cachedFacts;
      }
    }
    boolean hasGpus = false;
    try {
      for (V1Node node : core.listNode().execute().getItems()) {
        Map<String, io.kubernetes.client.custom.Quantity> allocatable =
            node.getStatus() == null ? null : node.getStatus().getAllocatable();
        io.kubernetes.client.custom.Quantity gpus = allocatable == null ? null : allocatable.get(PodMutator.GPU_RESOURCE);
        if (gpus != null && gpus.getNumber().signum() > 0) {
          hasGpus = true;
          break;
        }
      }
    } catch (ApiException e) {
      throw new IOException("listing nodes failed with HTTP " + e.getCode() + ": " + e.getMessage(), e);
    }
    ClusterFacts facts = new ClusterFacts(hasGpus, pulsarServiceUrl, gitImage);
    synchronized (lock) {
      cachedFacts = facts;
      factsExpiry = clock.instant().plus(FACTS_TTL);
    }
    return facts;
  }

}
