package com.petuum.rampart.testbed.zookeeper;

/**
 * A ZooKeeper service for tests: one embedded server or an ensemble of separate processes.
 *
 * <p>Implementations are thread-safe; {@link #close} is idempotent.
 */
public interface ZooKeeperServer extends AutoCloseable {

  /** The connect string for clients, such as {@code 127.0.0.1:2181,127.0.0.1:2182}. */
  String connectString();

  @Override
  void close();
}
