package com.petuum.rampart.agent.identity;

import com.google.common.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;

/** The host and port of a hub's gRPC endpoint. Immutable. */
public record HubAddress(String host, int port) {

  public HubAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("hub host: '" + host + "' (expected: an IP address or DNS name)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("hub port: " + port + " (expected: 1 to 65535)");
    }
  }

  /**
   * Parses {@code host:port}, with IPv6 hosts in brackets.
   *
   * @throws IllegalArgumentException naming the input and the expected form
   */
  public static HubAddress parse(String text) {
    try {
      HostAndPort parsed = HostAndPort.fromString(text == null ? "" : text.trim());
      if (!parsed.hasPort()) {
        throw new IllegalArgumentException("no port");
      }
      return new HubAddress(parsed.getHost(), parsed.getPort());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hub address: '" + text + "' (expected: host:port such as 127.0.0.1:7443)", e);
    }
  }

  /**
   * Parses one or more {@code host:port} addresses separated by commas, in order.
   *
   * @throws IllegalArgumentException naming the input and the expected form
   */
  public static List<HubAddress> parseList(String text) {
    List<HubAddress> addresses = new ArrayList<>();
    for (String part : (text == null ? "" : text).split(",")) {
      if (!part.isBlank()) {
        addresses.add(parse(part));
      }
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "hub address: '" + text + "' (expected: host:port, or several separated by commas)");
    }
    return List.copyOf(addresses);
  }

  @Override
  public String toString() {
    return HostAndPort.fromParts(host, port).toString();
  }
}
