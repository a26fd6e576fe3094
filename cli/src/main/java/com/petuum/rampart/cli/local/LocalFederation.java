package com.petuum.rampart.cli.local;

import com.petuum.rampart.cli.UserHome;
import com.petuum.rampart.testbed.KwokNode;
import com.petuum.rampart.testbed.TestBed;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The shape of the local federation: which clusters it runs with which nodes, and where its
 * files live.
 */
public final class LocalFederation {

  /** Run name of the test bed; its files live in {@code <home>/local}. */
  static final String RUN_NAME = "local";
  static final String HUB = "hub";

  /** Environment variable that moves the local federation's files away from {@code ~/.rampart}. */
  public static final String HOME_ENVIRONMENT = "RAMPART_HOME";

  private LocalFederation() {}

  /**
   * The folder holding {@code local/}: the {@code rampart.home} system property, else
   * {@code $RAMPART_HOME}, else {@code ~/.rampart}.
   */
  static Path home() {
    String configured = System.getProperty("rampart.home", System.getenv(HOME_ENVIRONMENT));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return UserHome.path().resolve(".rampart");
  }

  static Path directory(Path home) {
    return home.resolve(RUN_NAME);
  }

  private static final String A100 = "NVIDIA-A100-SXM4-80GB";
  private static final String H100 = "NVIDIA-H100-80GB-HBM3";

  /** Adds the hub and three members with different node shapes to {@code builder}. */
  static TestBed.Builder describe(TestBed.Builder builder, int hubPort) {
    return builder
        .hub(HUB, hubPort)
        .member("gpu-east",
            gpuNode("a100-0", A100, "us-east-1", "us-east-1a"),
            gpuNode("a100-1", A100, "us-east-1", "us-east-1b"))
        .member("gpu-west",
            gpuNode("h100-0", H100, "us-west-2", "us-west-2a"),
            cpuNode("west-cpu-0", "us-west-2", "us-west-2a"))
        .member("cpu-onprem",
            cpuNode("onprem-0", "onprem-dc1", "rack-1"),
            cpuNode("onprem-1", "onprem-dc1", "rack-2"),
            cpuNode("onprem-2", "onprem-dc1", "rack-3"));
  }

  /** Names of the member clusters, in start order. */
  static List<String> members() {
    return List.of("gpu-east", "gpu-west", "cpu-onprem");
  }

  private static KwokNode gpuNode(String name, String model, String region, String zone) {
    return KwokNode.named(name)
        .capacity(Map.of("cpu", "64", "memory", "512Gi", "nvidia.com/gpu", "8"))
        .labels(Map.of(
            "nvidia.com/gpu.product", model,
            "nvidia.com/gpu.count", "8",
            "topology.kubernetes.io/region", region,
            "topology.kubernetes.io/zone", zone));
  }

  private static KwokNode cpuNode(String name, String region, String zone) {
    return KwokNode.named(name)
        .capacity(Map.of("cpu", "32", "memory", "128Gi"))
        .labels(Map.of("topology.kubernetes.io/region", region, "topology.kubernetes.io/zone", zone));
  }
}
