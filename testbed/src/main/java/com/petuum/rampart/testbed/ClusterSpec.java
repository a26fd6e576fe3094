package com.petuum.rampart.testbed;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Description of one test cluster to start.
 *
 * @param name a DNS label naming the cluster; it names the cluster's folder and kubeconfig context
 * @param role hub or member
 * @param nodes the KWOK nodes of a member; empty for the hub
 * @param storageClasses storage classes whose claims bind at once; the first is the default
 * @param apiServerPort the kube-apiserver's port, or 0 for any free port
 */
public record ClusterSpec(
    String name, ClusterRole role, List<KwokNode> nodes, List<String> storageClasses, int apiServerPort) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public ClusterSpec {
    requireNonNull(name, "name");
    requireNonNull(role, "role");
    checkArgument(DNS_LABEL.matcher(name).matches(), "cluster name: %s (expected: a DNS label such as member-1)", name);
    nodes = List.copyOf(nodes);
    storageClasses = List.copyOf(storageClasses);
    checkArgument(role == ClusterRole.MEMBER || nodes.isEmpty(), "hub %s: nodes are only for members", name);
    checkArgument(
        apiServerPort == 0 || (apiServerPort > 0 && apiServerPort < 65536),
        "apiServerPort: %s (expected: 0 for any free port, or 1-65535)", apiServerPort);
  }
}
