package com.petuum.rampart.testbed;

import com.petuum.rampart.testbed.process.ManagedProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, failing fast when the process it depends on has died. */
final class Readiness {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private Readiness() {}

  /**
   * Waits until {@code condition} returns true.
   *
   * @param what names the awaited state in the error, such as "kube-apiserver /readyz"
   * @param process the process that must stay alive while waiting, or null
   * @throws IllegalStateException with the end of the process log on timeout or early exit
   */
  static void await(String what, Duration timeout, ManagedProcess process, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    RuntimeException lastError = null;
    while (Instant.now().isBefore(deadline)) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(
            process.name() + " exited while waiting for " + what + ". Last lines of " + process.logFile()
                + ":\n" + process.logTail(30));
      }
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
    String detail = process == null ? "" : " Last lines of " + process.logFile() + ":\n" + process.logTail(30);
    throw new IllegalStateException(
        "Timed out after " + timeout.toSeconds() + " s waiting for " + what
            + (lastError == null ? "." : " (last error: " + lastError.getMessage() + ").") + detail,
        lastError);
  }
}
