package com.petuum.rampart.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on 127.0.0.1. */
public final class Ports {

  private Ports() {}

  /**
   * Returns a port that was free a moment ago. Another process may take it before the caller
   * binds it; the test bed retries a cluster start when a bind fails for that reason.
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1", e);
    }
  }

  /** Returns whether {@code port} of 127.0.0.1 cannot be bound because another socket uses it. */
  public static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Returns whether {@code port} of 127.0.0.1 cannot be bound even with SO_REUSEADDR, the way the
   * JDK's HttpServer binds on Linux. Unlike {@link #inUse}, connections of an earlier server that
   * linger in TIME_WAIT do not count, so a server stopped a moment ago does not block its successor.
   */
  public static boolean inUseByListener(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
