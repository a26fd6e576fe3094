package com.petuum.rampart.admission.server;

import com.petuum.rampart.admission.rules.NamespaceClaims;
import java.io.IOException;

/** Reads the component namespaces of the graphs stored in the cluster, for validation. */
public interface NamespaceClaimSource {

  /**
   * Returns the component namespaces of every stored graph.
   *
   * @throws IOException when the graphs could not be read; the request is then denied and the
   *     client may retry
   */
  NamespaceClaims namespaceClaims() throws IOException;
}
