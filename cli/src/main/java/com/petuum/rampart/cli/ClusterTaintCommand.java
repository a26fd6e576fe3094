package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Adds and removes taints of a MemberCluster with kubectl taint's syntax. */
@Command(
    name = "taint",
    mixinStandardHelpOptions = true,
    description = {
      "Adds or removes taints of a member cluster. Graphs and components are placed on a tainted cluster only"
          + " if they tolerate its NoSchedule taints; PreferNoSchedule lowers its score. NoExecute keeps new placements"
          + " off like NoSchedule but does not evict what runs there yet. As with kubectl taint:"
          + " key=value:Effect or key:Effect adds a taint, the same with a trailing '-' removes it, and key- removes"
          + " every taint with that key.",
      "Exit codes: 0 done, 2 bad usage (a malformed taint, a taint that exists without --overwrite, a removal that"
          + " matches nothing), 4 no such cluster, 5 the hub apiserver rejected the request or could not be reached."
    })
final class ClusterTaintCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Another writer (the hub adding labels, a second operator) may change the object between the
  // read and the conditional patch. The patch then fails with HTTP 409 and is retried.
  private static final int MAX_ATTEMPTS = 5;

  @Spec CommandSpec spec;

  @Mixin HubConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the member cluster.")
  String name;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAINT",
      description = "key=value:Effect or key:Effect to add; the same with a trailing '-', or key-, to remove."
          + " Effect is NoSchedule, PreferNoSchedule or NoExecute.")
  List<String> changes;

  @Option(names = "--overwrite", description = "Replace the value of a taint that exists with the same key and effect.")
  boolean overwrite;

  /** One parsed argument: a taint to add, or a key (and optionally an effect) to remove. */
  private record Change(Taint added, String removedKey, String removedEffect) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Change> parsed = new ArrayList<>();
    try {
      for (String change : changes) {
        parsed.add(parse(change));
      }
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    }

    try {
      HubObjects hub = new HubObjects(connection.connect().client());
      for (int attempt = 1; ; attempt++) {
        JsonNode cluster = hub.getMemberCluster(name);
        List<Taint> taints = new ArrayList<>();
        for (JsonNode taint : cluster.path("spec").path("taints")) {
          taints.add(Taint.fromJson(taint));
        }
        List<Taint> updated = apply(taints, parsed);
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").put("resourceVersion", cluster.path("metadata").path("resourceVersion").asText());
        ArrayNode array = patch.putObject("spec").putArray("taints");
        updated.forEach(taint -> array.add(taint.toJson(JSON)));
        try {
          hub.mergePatchMemberCluster(name, patch);
          break;
        } catch (HubObjects.HubRequestException e) {
          if (e.code() != 409 || attempt == MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("error: membercluster/" + name + ": " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    } catch (HubConnectionOptions.InvalidKubeconfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    } catch (HubObjects.HubRequestException e) {
      err.println("error: " + e.getMessage()
          + (e.notFound() ? "; run 'rampartctl cluster list' for the names of joined clusters" : ""));
      err.flush();
      return e.notFound() ? RampartCtl.EXIT_NOT_FOUND : RampartCtl.EXIT_HUB_ERROR;
    }
    // As kubectl taint: removing only taints reports "untainted".
    boolean onlyRemovals = parsed.stream().allMatch(change -> change.added() == null);
    out.println("membercluster/" + name + (onlyRemovals ? " untainted" : " tainted"));
    out.flush();
    return RampartCtl.EXIT_OK;
  }

  private static Change parse(String text) {
    if (!text.endsWith("-")) {
      return new Change(Taint.parse(text), null, null);
    }
    String removed = text.substring(0, text.length() - 1);
    int colon = removed.lastIndexOf(':');
    String key = colon < 0 ? removed : removed.substring(0, colon);
    String effect = colon < 0 ? null : removed.substring(colon + 1);
    // The value, if given, does not select: kubectl removes by key and effect.
    int equals = key.indexOf('=');
    if (equals >= 0) {
      key = key.substring(0, equals);
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' names no taint key (expected: key-, key:Effect- or key=value:Effect-)");
    }
    if (effect != null && !Taint.EFFECTS.contains(effect)) {
      throw new IllegalArgumentException("taint effect '" + effect + "' in '" + text
          + "' is invalid (expected: NoSchedule, PreferNoSchedule or NoExecute)");
    }
    return new Change(null, key, effect);
  }

  /** Returns the taints after the changes; throws IllegalArgumentException naming the conflict. */
  private List<Taint> apply(List<Taint> current, List<Change> changes) {
    List<Taint> result = new ArrayList<>(current);
    for (Change change : changes) {
      if (change.added() != null) {
        Taint added = change.added();
        int index = indexOf(result, added.key(), added.effect());
        if (index < 0) {
          result.add(added);
        } else if (!overwrite && !result.get(index).equals(added)) {
          throw new IllegalArgumentException("taint " + result.get(index) + " exists; pass --overwrite to replace it with "
              + added);
        } else {
          result.set(index, added);
        }
      } else {
        boolean removed = result.removeIf(taint -> taint.key().equals(change.removedKey())
            && (change.removedEffect() == null || taint.effect().equals(change.removedEffect())));
        if (!removed) {
          throw new IllegalArgumentException("no taint with key " + change.removedKey()
              + (change.removedEffect() == null ? "" : " and effect " + change.removedEffect())
              + " to remove (taints: " + (result.isEmpty() ? "none" : result) + ")");
        }
      }
    }
    return result;
  }

  private static int indexOf(List<Taint> taints, String key, String effect) {
    for (int i = 0; i < taints.size(); i++) {
      if (taints.get(i).key().equals(key) && taints.get(i).effect().equals(effect)) {
        return i;
      }
    }
    return -1;
  }
}
