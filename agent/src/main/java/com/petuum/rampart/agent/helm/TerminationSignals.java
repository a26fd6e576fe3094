package com.petuum.rampart.agent.helm;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Takes SIGTERM, SIGINT and SIGHUP back from the Go runtime inside Helm's native library.
 *
 * <p>Helm's Go code registers these signals through {@code os/signal} during its operations,
 * which replaces the JVM's handlers for the whole process. Without this, an agent that has run
 * one Helm operation ignores SIGTERM: Kubernetes waits out the pod's grace period and kills it,
 * and the shutdown hooks never run. The JVM's own handler for these signals exits with
 * {@code 128 + signal number} and runs the shutdown hooks; the handler installed here does the
 * same.
 *
 * <p>NOTE: a signal that arrives while a Helm operation runs still goes to Go and is lost; the
 * next signal after the operation stops the agent.
 */
final class TerminationSignals {

  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);
  private static final List<String> NAMES = List.of("TERM", "INT", "HUP");

  private TerminationSignals() {}

  /** Installs the JVM-side handler again; call it after every call into Helm's native library. */
  static void reclaim() {
    for (String name : NAMES) {
      try {
        Signal.handle(new Signal(name), TerminationSignals::exit);
      } catch (IllegalArgumentException e) {
        // When the JVM runs with -Xrs or the platform lacks the signal, the current handler stays.
        log.debug("Cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }

  private static void exit(Signal signal) {
    log.info("Received SIG{}; stopping.", signal.getName());
    System.exit(128 + signal.getNumber());
  }
}
