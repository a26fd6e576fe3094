package com.petuum.rampart.hub.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the agent endpoint's connection failures into the hub's log. grpc-java 1.85 reports a
 * connection that dies before a stream starts (plaintext, random bytes, a failed TLS handshake,
 * a reset) only through its own java.util.logging loggers, mostly at FINE, so it would otherwise
 * be invisible.
 *
 * <p>Failures that look like a protocol or TLS violation are logged at WARN, other I/O failures
 * at INFO; at most {@value #MAX_LINES_PER_MINUTE} lines a minute, with a count of the lines left
 * out. NOTE: the grpc logger is one per JVM, so two endpoints in one JVM (tests) each count the
 * failures of both.
 *
 * <p>Thread-safe; {@link #close} detaches it.
 */
final class TransportFailureLog extends Handler implements AutoCloseable {

  /** The java.util.logging logger that grpc-java's Netty transport reports failures to. */
  static final String GRPC_CONNECTION_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections";
  /** The logger that grpc-java's TLS negotiation reports failed handshakes to, without the cause. */
  static final String GRPC_NEGOTIATION_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiators";
  private static final String NEGOTIATION_FAILED = "TLS negotiation failed";

  static final int MAX_LINES_PER_MINUTE = 10;

  private static final org.slf4j.Logger log = LoggerFactory.getLogger(TransportFailureLog.class);

  private final Logger connectionLogger = Logger.getLogger(GRPC_CONNECTION_LOGGER);
  private final Logger negotiationLogger = Logger.getLogger(GRPC_NEGOTIATION_LOGGER);
  private final Level previousConnectionLevel;
  private final Level previousNegotiationLevel;
  private final Clock clock;
  private final AtomicLong failures = new AtomicLong();
  private final Object windowLock = new Object();
  private Instant windowStart;
  private int linesInWindow;
  private long suppressed;

  private TransportFailureLog(Clock clock) {
    this.clock = clock;
    this.previousConnectionLevel = connectionLogger.getLevel();
    this.previousNegotiationLevel = negotiationLogger.getLevel();
    this.windowStart = clock.instant();
  }

  /** Attaches a new instance to grpc-java's connection logger. */
  static TransportFailureLog attach(Clock clock) {
    TransportFailureLog handler = new TransportFailureLog(clock);
    handler.connectionLogger.setLevel(Level.FINE);
    handler.connectionLogger.addHandler(handler);
    handler.negotiationLogger.setLevel(Level.FINE);
    handler.negotiationLogger.addHandler(handler);
    return handler;
  }

  /** Returns how many connection failures were reported since attaching. */
  long failures() {
    return failures.get();
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    boolean failedHandshake = GRPC_NEGOTIATION_LOGGER.equals(record.getLoggerName())
        && record.getMessage() != null && record.getMessage().startsWith(NEGOTIATION_FAILED);
    if (!failedHandshake && record.getThrown() == null) {
      return;
    }
    failures.incrementAndGet();
    long skipped;
    synchronized (windowLock) {
      Instant now = clock.instant();
      if (Duration.between(windowStart, now).toMinutes() >= 1) {
        windowStart = now;
        linesInWindow = 0;
      }
      if (linesInWindow >= MAX_LINES_PER_MINUTE) {
        suppressed++;
        return;
      }
      linesInWindow++;
      skipped = suppressed;
      suppressed = 0;
    }
    if (failedHandshake) {
      log.warn("Dropped a connection to the agent endpoint whose TLS handshake failed (plaintext, garbage or an "
          + "untrusted certificate). linesSkipped={}", skipped);
      return;
    }
    Throwable cause = record.getThrown();
    String reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    if (looksLikeViolation(cause)) {
      log.warn("Dropped a connection to the agent endpoint that broke the TLS or HTTP/2 protocol. reason={} "
          + "linesSkipped={}", reason, skipped);
    } else {
      log.info("A connection to the agent endpoint failed. reason={} linesSkipped={}", reason, skipped);
    }
  }

  private static boolean looksLikeViolation(Throwable cause) {
    for (Throwable current = cause; current != null; current = current.getCause()) {
      String name = current.getClass().getName();
      if (name.contains("Ssl") || name.contains("SSL") || name.contains("Decoder") || name.contains("Http2")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void flush() {}

  /** Detaches from grpc-java's logger and restores its level. */
  @Override
  public void close() {
    connectionLogger.removeHandler(this);
    connectionLogger.setLevel(previousConnectionLevel);
    negotiationLogger.removeHandler(this);
    negotiationLogger.setLevel(previousNegotiationLevel);
  }
}
