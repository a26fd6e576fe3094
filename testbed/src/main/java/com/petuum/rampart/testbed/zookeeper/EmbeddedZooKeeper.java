package com.petuum.rampart.testbed.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server inside the test JVM on 127.0.0.1 and a free port, with a 500 ms tick
 * so that sessions as short as one second are allowed.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedZooKeeper implements ZooKeeperServer {

  /** ZooKeeper's time unit in milliseconds; the minimum session timeout is two ticks. */
  public static final int TICK_MILLIS = 500;

  private final TestingServer server;

  private EmbeddedZooKeeper(TestingServer server) {
    this.server = server;
  }

  /** Starts a server whose data lives in {@code dataDirectory}. */
  public static EmbeddedZooKeeper start(Path dataDirectory) {
    InstanceSpec spec = new InstanceSpec(dataDirectory.toFile(), -1, -1, -1, true, -1, TICK_MILLIS, -1);
    try {
      return new EmbeddedZooKeeper(new TestingServer(spec, true));
    } catch (Exception e) {
      throw new IllegalStateException("Failed to start the embedded ZooKeeper in " + dataDirectory, e);
    }
  }

  @Override
  public String connectString() {
    return server.getConnectString();
  }

  /** Stops and starts the server on the same port, keeping its data. */
  public void restart() {
    try {
      server.restart();
    } catch (Exception e) {
      throw new IllegalStateException("Failed to restart the embedded ZooKeeper", e);
    }
  }

  /** Stops the server without removing its data; {@link #restart} starts it again. */
  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to stop the embedded ZooKeeper", e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to close the embedded ZooKeeper", e);
    }
  }
}
