package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Sets or clears {@code spec.unschedulable} of a MemberCluster, as {@code kubectl cordon} does
 * for a node. Work already placed there keeps running.
 */
abstract class ClusterCordonCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin HubConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the member cluster.")
  String name;

  private final boolean unschedulable;

  ClusterCordonCommand(boolean unschedulable) {
    this.unschedulable = unschedulable;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String verb = unschedulable ? "cordoned" : "uncordoned";
    try {
      HubObjects hub = new HubObjects(connection.connect().client());
      JsonNode cluster = hub.getMemberCluster(name);
      if (cluster.path("spec").path("unschedulable").asBoolean(false) == unschedulable) {
        out.println("membercluster/" + name + " already " + verb);
        out.flush();
        return RampartCtl.EXIT_OK;
      }
      ObjectNode patch = JSON.createObjectNode();
      patch.putObject("spec").put("unschedulable", unschedulable);
      hub.mergePatchMemberCluster(name, patch);
    } catch (HubConnectionOptions.InvalidKubeconfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return RampartCtl.EXIT_USAGE;
    } catch (HubObjects.HubRequestException e) {
      err.println("error: " + e.getMessage() + (e.notFound() ? notFoundHint() : ""));
      err.flush();
      return e.notFound() ? RampartCtl.EXIT_NOT_FOUND : RampartCtl.EXIT_HUB_ERROR;
    }
    out.println("membercluster/" + name + " " + verb);
    out.flush();
    return RampartCtl.EXIT_OK;
  }

  private String notFoundHint() {
    return "; run 'rampartctl cluster list' for the names of joined clusters";
  }

  /** {@code cluster cordon NAME}. */
  @Command(
      name = "cordon",
      mixinStandardHelpOptions = true,
      description = {
        "Marks a member cluster unschedulable: the hub places no new components there. Components already placed"
            + " there keep running; failover moves them only if the cluster also becomes unreachable.",
        "Exit codes: 0 done (also when it was already cordoned), 2 bad usage, 4 no such cluster,"
            + " 5 the hub apiserver rejected the request or could not be reached."
      })
  static final class Cordon extends ClusterCordonCommand {
    Cordon() {
      super(true);
    }
  }

  /** {@code cluster uncordon NAME}. */
  @Command(
      name = "uncordon",
      mixinStandardHelpOptions = true,
      description = {
        "Marks a member cluster schedulable again.",
        "Exit codes: 0 done (also when it was not cordoned), 2 bad usage, 4 no such cluster,"
            + " 5 the hub apiserver rejected the request or could not be reached."
      })
  static final class Uncordon extends ClusterCordonCommand {
    Uncordon() {
      super(false);
    }
  }
}
