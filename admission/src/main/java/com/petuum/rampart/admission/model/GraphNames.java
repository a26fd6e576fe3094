package com.petuum.rampart.admission.model;

/**
 * Names that a graph's objects get on a member cluster, derived exactly as the original Rampart
 * derives them, so graphs and charts written for it keep working.
 */
public final class GraphNames {

  /** Longest Kubernetes namespace or other DNS-label name (RFC 1123). */
  public static final int MAX_DNS_LABEL_LENGTH = 63;

  /** Prefix of the volume name a volume flow gets in pods: {@code flow-volume-<flow>}. */
  public static final String FLOW_VOLUME_PREFIX = "flow-volume-";

  /** Suffix of the namespace that contains a graph's volume flows. */
  public static final String VOLUME_FLOWS_SUFFIX = "rampart-flows-volume";

  /** Suffix of the namespace that contains a graph's repository flows. */
  public static final String REPOSITORY_FLOWS_SUFFIX = "rampart-flows-repository";

  /** Component names starting with this would collide with the flows namespaces above. */
  public static final String RESERVED_COMPONENT_PREFIX = "rampart-flows";

  private GraphNames() {}

  /** Returns {@code <graph-namespace>-<graph>-<component>}. */
  public static String componentNamespace(String graphNamespace, String graph, String component) {
    return graphNamespace + "-" + graph + "-" + component;
  }

  /** Returns the namespace that contains the flows of the given type for one graph. */
  public static String flowsNamespace(String graphNamespace, String graph, FlowType type) {
    String suffix = type == FlowType.REPOSITORY ? REPOSITORY_FLOWS_SUFFIX : VOLUME_FLOWS_SUFFIX;
    return graphNamespace + "-" + graph + "-" + suffix;
  }

  /** Returns the PersistentVolumeClaim name of a flow, the same in every namespace. */
  public static String claimName(String graphNamespace, String graph, String flow) {
    return graphNamespace + "-" + graph + "-" + flow;
  }

  /** Returns the pod volume name of a volume flow. */
  public static String flowVolumeName(String flow) {
    return FLOW_VOLUME_PREFIX + flow;
  }

  /** Returns the Pulsar topic of a flow: {@code rampart/<graph-namespace>_<graph>/<flow>}. */
  public static String pulsarTopic(String graphNamespace, String graph, String flow) {
    return "rampart/" + graphNamespace + "_" + graph + "/" + flow;
  }

  /** Returns {@code RAMPART_INPUT_<edge>} or {@code RAMPART_OUTPUT_<edge>}, {@code -} as {@code _}. */
  public static String edgeVariable(EdgeDirection direction, String edge) {
    return "RAMPART_" + direction.envPart() + "_" + edge.replace('-', '_');
  }

  /** Returns the name of the variable whose value is {@code GIT} or {@code DVC} for a repository edge. */
  public static String repositoryTypeVariable(EdgeDirection direction, String edge) {
    return "RAMPART_REPO_TYPE_" + direction.envPart() + "_" + edge.replace('-', '_');
  }
}
