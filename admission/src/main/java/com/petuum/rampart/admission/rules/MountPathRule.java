package com.petuum.rampart.admission.rules;

import static com.petuum.rampart.admission.rules.JsonFields.quote;

import com.petuum.rampart.admission.model.Component;
import com.petuum.rampart.admission.model.Edge;
import com.petuum.rampart.admission.model.RampartGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Within a component, no mount path of a volume or repository edge equals another or contains it
 * as a directory prefix ({@code /a} and {@code /a/b}), compared by path segments, so {@code /ab}
 * and {@code /a} do not overlap. No path may be {@code /} or lie in {@code /.RAMPART}, where
 * every pod gets its Rampart configuration.
 *
 * <p>Only explicit mount paths are compared: a chart may declare its own defaults, which offline
 * validation cannot see.
 */
final class MountPathRule implements GraphRule {

  /** Where the mutating webhook mounts each component's Rampart configuration. */
  static final String CONFIG_MOUNT_PATH = "/.RAMPART";

  @Override
  public void check(RampartGraph graph, ErrorCollector errors) {
    for (Component component : graph.components().values()) {
      List<Edge> mounted = new ArrayList<>();
      for (Edge edge : component.edges()) {
        if (!edge.type().isMounted() || edge.mountPath().isEmpty()) {
          continue;
        }
        String path = edge.mountPath().get();
        if (path.equals("/")) {
          errors.add(
              EdgePaths.mountPath(component, edge),
              "mount path \"/\" would hide the container's own files; mount the flow at a directory such as \"/data\"");
          continue;
        }
        if (isPrefix(CONFIG_MOUNT_PATH, path) || isPrefix(path, CONFIG_MOUNT_PATH)) {
          errors.add(
              EdgePaths.mountPath(component, edge),
              "mount path " + quote(path) + " overlaps " + CONFIG_MOUNT_PATH + ", where Rampart mounts its "
                  + "configuration; choose another directory");
          continue;
        }
        for (Edge other : mounted) {
          String otherPath = other.mountPath().orElseThrow();
          if (isPrefix(otherPath, path) || isPrefix(path, otherPath)) {
            errors.add(
                EdgePaths.mountPath(component, edge),
                "mount path " + quote(path) + " of " + EdgePaths.describe(edge) + " overlaps mount path "
                    + quote(otherPath) + " of " + EdgePaths.describe(other)
                    + "; mount paths of one component must not equal or contain each other");
          }
        }
        mounted.add(edge);
      }
    }
  }

  /** Returns whether {@code prefix} equals {@code path} or is one of its parent directories. */
  static boolean isPrefix(String prefix, String path) {
    String p = stripTrailingSlash(prefix);
    String q = stripTrailingSlash(path);
    if (p.isEmpty()) {
      return true;
    }
    return q.equals(p) || q.startsWith(p + "/");
  }

  private static String stripTrailingSlash(String path) {
    String stripped = path;
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped;
  }
}
