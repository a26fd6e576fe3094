package com.petuum.rampart.admission.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One input or output of a component: which flow it reads or writes and where pods see it.
 * Immutable.
 *
 * @param name the edge name, unique within its component after {@code _} becomes {@code -}
 * @param direction input or output
 * @param type the flow type the edge expects; it must equal the flow's type
 * @param flow the name of a flow of the same graph
 * @param mountPath the normalised mount path when the edge sets one
 */
public record Edge(
    String name, EdgeDirection direction, FlowType type, String flow, Optional<String> mountPath) {

  public Edge {
    requireNonNull(name, "name");
    requireNonNull(direction, "direction");
    requireNonNull(type, "type");
    requireNonNull(flow, "flow");
    requireNonNull(mountPath, "mountPath");
  }

  /**
   * Returns the path pods see the flow at: the explicit mount path, else {@code /<edge>} with
   * {@code -} written as {@code _}, as the original Rampart does for charts that declare none.
   */
  public String effectiveMountPath() {
    return mountPath.orElseGet(() -> "/" + name.replace('-', '_'));
  }

  /**
   * Normalises a mount path the way the original Rampart does: strip slashes and spaces at both
   * ends and put one slash in front, so {@code " data/ "} becomes {@code /data}.
   */
  public static String normaliseMountPath(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && isStripped(path.charAt(start))) {
      start++;
    }
    while (end > start && isStripped(path.charAt(end - 1))) {
      end--;
    }
    return "/" + path.substring(start, end);
  }

  private static boolean isStripped(char c) {
    return c == '/' || c == ' ';
  }
}
