package com.petuum.rampart.admission.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import com.petuum.rampart.admission.mutation.MutationResult;
import com.petuum.rampart.admission.mutation.PodMutator;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires flows into pods created in component namespaces. Pods labelled
 * {@value #DISABLE_LABEL} (any value) and pods outside component namespaces are admitted
 * unchanged. When the graphs or nodes cannot be read, the pod is denied, so its controller
 * retries rather than starting it without its flows. Thread-safe.
 */
final class PodMutationHandler implements ReviewHandler {

  /** Label that opts a pod out of flow wiring, as in the original Rampart. */
  static final String DISABLE_LABEL = "rampart-disable-edges";

  private static final Logger log = LoggerFactory.getLogger(PodMutationHandler.class);

  private final ComponentDirectory directory;
  private final PodMutator mutator;

  PodMutationHandler(ComponentDirectory directory, PodMutator mutator) {
    this.directory = directory;
    this.mutator = mutator;
  }

  @Override
  public ObjectNode handle(JsonNode review) {
    JsonNode request = review.path("request");
    JsonNode pod = request.path("object");
    if (!request.path("operation").asText().equals("CREATE")
        || !request.path("kind").path("kind").asText().equals("Pod")
        || pod.path("metadata").path("labels").has(DISABLE_LABEL)) {
      return AdmissionResponses.allowed(review);
    }
    String namespace = request.path("namespace").asText("");
    String podName = pod.path("metadata").path("name").asText(pod.path("metadata").path("generateName").asText(""));

    ClusterFacts facts;
    Optional<ComponentWiring> wiring;
    try {
      facts = directory.clusterFacts();
      wiring = directory.wiringFor(namespace, facts);
    } catch (IOException e) {
      log.warn("Could not look up the flows of a pod; denying it so its controller retries. namespace={} pod={} error={}",
          namespace, podName, e.getMessage());
      return AdmissionResponses.denied(
          review, AdmissionResponses.INTERNAL_ERROR, "InternalError",
          "the Rampart webhook could not look up the flows of namespace " + namespace + " (" + e.getMessage()
              + "); the pod's controller will retry");
    }
    if (wiring.isEmpty()) {
      return AdmissionResponses.allowed(review);
    }
    MutationResult result = mutator.mutate(pod, wiring.get(), facts);
    log.debug("Wired flows into a pod. namespace={} pod={} component={} operations={}",
        namespace, podName, wiring.get().component(), result.patch().size());
    return AdmissionResponses.patched(review, result.patch(), result.warnings());
  }
}
