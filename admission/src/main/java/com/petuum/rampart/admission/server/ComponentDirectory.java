package com.petuum.rampart.admission.server;

import com.petuum.rampart.admission.mutation.ClusterFacts;
import com.petuum.rampart.admission.mutation.ComponentWiring;
import java.io.IOException;
import java.util.Optional;

/** Finds which graph component owns a namespace, and the cluster facts, for pod mutation. */
public interface ComponentDirectory {

  /**
   * Returns the wiring of the component whose pods run in {@code namespace}; empty when no graph
   * on this cluster has a component there.
   *
   * @throws IOException when the graphs could not be read; the pod is then denied so its
   *     controller retries instead of starting it without its flows
   */
  Optional<ComponentWiring> wiringFor(String namespace, ClusterFacts facts) throws IOException;

  /**
   * Returns the facts of this cluster.
   *
   * @throws IOException when the nodes could not be read
   */
  ClusterFacts clusterFacts() throws IOException;
}
