package com.petuum.rampart.admission.rules;

/**
 * Size limits of one RampartGraph, enforced at admission. The hub–agent protocol uses the same
 * component limit for the graph slices it sends, so a graph that was admitted always fits.
 */
public final class GraphLimits {

  /**
   * Maximum number of components in one graph. The validation benchmark covers graphs of this size; every
   * component becomes a namespace and Helm releases on a member, so larger graphs should be split.
   */
  public static final int MAX_COMPONENTS = 500;

  /** Maximum number of flows in one graph. */
  public static final int MAX_FLOWS = 500;

  /** Most inputs plus outputs of one component. */
  public static final int MAX_EDGES_PER_COMPONENT = 256;

  /**
   * Largest graph object, as compact JSON, in bytes. etcd rejects requests over 1.5 MiB by
   * default (its {@code --max-request-bytes}); 1 MiB leaves the rest for the status the hub writes.
   */
  public static final int MAX_OBJECT_BYTES = 1024 * 1024;

  private GraphLimits() {}
}
