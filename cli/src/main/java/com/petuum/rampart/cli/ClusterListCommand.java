package com.petuum.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.annotations.VisibleForTesting;
import com.petuum.rampart.scheduler.resource.Quantity;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the member clusters on the hub with their readiness, scheduling state and capacity. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the member clusters that joined the hub: readiness, whether the scheduler may place work there,"
          + " taints, nodes, free and allocatable cpu, memory and GPUs, and the age of the last heartbeat.",
      "Exit codes: 0 listed, 2 bad usage, 5 the hub apiserver rejected the request or could not be reached."
    })
final class ClusterListCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String GPU = "nvidia.com/gpu";
  private static final BigDecimal MILLI_GIBIBYTE = BigDecimal.valueOf(1000L << 30);

  @Spec CommandSpec spec;

  @Mixin HubConnectionOptions connection;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Label selector, such as topology.rampart.petuum.com/region=us-east-1 or gpu in (a100,h100).")
  String selector;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      converter = OutputFormat.Converter.class,
      description = "Output format: text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  private final Clock clock;

  ClusterListCommand() {
    this(Clock.systemUTC());
  }

  @VisibleForTesting
  ClusterListCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<JsonNode> clusters;
    try {
      clusters = new ArrayList<>(new HubObjects(connection.connect().client()).listMemberClusters(selector));
    } catch (HubConnectionOptions.InvalidKubeconfigException e) {
      err.println("error: " + e.getMessage());
      return RampartCtl.EXIT_USAGE;
    } catch (HubObjects.HubRequestException e) {
      if (selector != null && e.code() == 400) {
        // The apiserver parses the selector, so a 400 here means the selector is malformed.
        err.println("error: --selector " + selector + ": " + e.getMessage()
            + "; write it as kubectl does, such as gpu=a100, gpu!=a100 or 'gpu in (a100,h100)'");
        return RampartCtl.EXIT_USAGE;
      }
      err.println("error: " + e.getMessage());
      return RampartCtl.EXIT_HUB_ERROR;
    }
    clusters.sort(Comparator.comparing(c -> c.path("metadata").path("name").asText()));

    if (output != OutputFormat.TEXT) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode array = root.putArray("clusters");
      clusters.forEach(cluster -> array.add(summary(cluster)));
      out.println(output.render(root));
    } else if (clusters.isEmpty()) {
      if (selector == null) {
        err.println("No member clusters. Create a join token with 'rampartctl cluster token create' and install "
            + "the agent chart on a member.");
      } else {
        err.println("No member clusters match " + selector + "; 'rampartctl cluster list -o json' shows every "
            + "cluster's labels.");
      }
    } else {
      TextTable table = new TextTable("NAME", "READY", "SCHEDULING", "TAINTS", "NODES", "CPU", "MEMORY", "GPU",
          "HEARTBEAT", "AGENT");
      for (JsonNode cluster : clusters) {
        JsonNode status = cluster.path("status");
        JsonNode capacity = status.path("capacity");
        table.add(
            cluster.path("metadata").path("name").asText(),
            condition(status, "Ready"),
            cluster.path("spec").path("unschedulable").asBoolean(false) ? "Cordoned" : "Schedulable",
            String.join(",", taints(cluster)),
            status.has("nodeCount") ? status.path("nodeCount").asText() : "",
            freeOfTotal(capacity, "cpu"),
            freeOfTotal(capacity, "memory"),
            freeOfTotal(capacity, GPU),
            heartbeatAge(status.path("lastHeartbeatTime").asText("")),
            status.path("agentVersion").asText(""));
      }
      table.print(out);
    }
    out.flush();
    err.flush();
    return RampartCtl.EXIT_OK;
  }

  private ObjectNode summary(JsonNode cluster) {
    JsonNode status = cluster.path("status");
    ObjectNode node = JSON.createObjectNode();
    node.put("name", cluster.path("metadata").path("name").asText());
    node.set("labels", cluster.path("metadata").path("labels").deepCopy());
    node.put("ready", condition(status, "Ready"));
    node.put("unschedulable", cluster.path("spec").path("unschedulable").asBoolean(false));
    node.set("taints", cluster.path("spec").path("taints").isMissingNode()
        ? JSON.createArrayNode() : cluster.path("spec").path("taints").deepCopy());
    node.put("nodeCount", status.path("nodeCount").asInt(0));
    node.set("allocatable", status.path("capacity").path("allocatable").deepCopy());
    node.set("available", status.path("capacity").path("available").deepCopy());
    node.put("lastHeartbeatTime", status.path("lastHeartbeatTime").asText(null));
    node.put("agentVersion", status.path("agentVersion").asText(null));
    return node;
  }

  /** Returns the condition's status, or Unknown when the agent has not reported it yet. */
  static String condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path("status").asText("Unknown");
      }
    }
    return "Unknown";
  }

  static List<String> taints(JsonNode cluster) {
    List<String> taints = new ArrayList<>();
    for (JsonNode taint : cluster.path("spec").path("taints")) {
      // Formatted without validation, so that a hand-edited taint still shows as stored.
      String value = taint.path("value").asText("");
      taints.add(taint.path("key").asText() + (value.isEmpty() ? "" : "=" + value) + ":" + taint.path("effect").asText());
    }
    return taints;
  }

  /**
   * Formats "free/allocatable" with both sides in one unit, so a column compares at a glance:
   * CPU in cores ({@code 83.8/96}), memory in GiB ({@code 120.5Gi/128Gi}), others as counts.
   */
  static String freeOfTotal(JsonNode capacity, String resource) {
    JsonNode allocatable = capacity.path("allocatable").path(resource);
    if (allocatable.isMissingNode()) {
      return "";
    }
    JsonNode available = capacity.path("available").path(resource);
    return (available.isMissingNode() ? "?" : inUnit(available.asText(), resource)) + "/"
        + inUnit(allocatable.asText(), resource);
  }

  private static String inUnit(String quantity, String resource) {
    long milli;
    try {
      milli = Quantity.parseMilli(quantity);
    } catch (IllegalArgumentException e) {
      return quantity;
    }
    if (resource.equals("memory")) {
      return decimal(BigDecimal.valueOf(milli).divide(MILLI_GIBIBYTE, 1, RoundingMode.DOWN)) + "Gi";
    }
    return decimal(BigDecimal.valueOf(milli).divide(BigDecimal.valueOf(1000), 3, RoundingMode.DOWN));
  }

  private static String decimal(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private String heartbeatAge(String lastHeartbeat) {
    if (lastHeartbeat.isEmpty()) {
      return "";
    }
    try {
      return age(Duration.between(Instant.parse(lastHeartbeat), clock.instant())) + " ago";
    } catch (DateTimeParseException e) {
      return lastHeartbeat;
    }
  }

  /** Formats a duration as kubectl's AGE column does: 42s, 5m10s, 3h, 12d. */
  static String age(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 600) {
      return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
    if (seconds < 3 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 48 * 3600) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }
}
