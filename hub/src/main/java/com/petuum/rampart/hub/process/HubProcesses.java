package com.petuum.rampart.hub.process;

import com.google.inject.Guice;
import com.google.inject.Stage;

/** Creates and starts hub replicas; the one public door into this package for {@code HubMain}. */
public final class HubProcesses {

  private HubProcesses() {}

  /**
   * Wires and starts one replica, and returns the handle that stops it.
   *
   * @throws IllegalStateException when it cannot start; nothing is left running then
   */
  public static AutoCloseable start(HubOptions options) {
    // DEVELOPMENT stage keeps singletons lazy, so nothing touches the apiserver before start().
    HubProcess process = Guice.createInjector(Stage.DEVELOPMENT, new HubModule(options)).getInstance(HubProcess.class);
    process.start();
    return process;
  }
}
