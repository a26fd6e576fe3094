package com.petuum.rampart.hub.server;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.join.BootstrapTokenStore;
import com.petuum.rampart.hub.join.JoinHandler;
import com.petuum.rampart.hub.join.TokenRedeemer;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.hub.membership.MemberClusterStore;
import com.petuum.rampart.hub.membership.MembershipMonitor;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.pki.IssuedCertificate;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.WorkStatus;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's gRPC endpoint for agents: TLS on Netty, client certificates optional at the TLS layer
 * (Join has none) and required by Renew and Connect. Thread-safe.
 *
 * <p>Lifecycle: NEW, then {@link #start} to STARTED, then {@link #close} to CLOSED; a failed
 * start closes what it opened. The server owns one scheduler thread for pings, re-sends and
 * membership checks. The stores, the CA and the leadership passed to the builder belong to the
 * caller.
 *
 * <p>Limits: inbound messages above {@link HubSettings#maxMessageBytes} fail the stream with
 * RESOURCE_EXHAUSTED; an agent sending faster than its rate limit loses its stream with
 * RESOURCE_EXHAUSTED; a TLS handshake that does not finish in 10 s is dropped.
 *
 * <p>Connections that fail before a stream starts (plaintext, random bytes, a failed TLS
 * handshake) are logged through {@link TransportFailureLog} and counted by
 * {@link #failedConnectionCount}; rejected client certificates are logged at WARN.
 */
public final class FederationServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FederationServer.class);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final Builder config;
  private final Dispatcher dispatcher;
  private final MembershipMonitor monitor;
  private final ConnectedAgents agents = new ConnectedAgents();

  /**
   * Sends new work to the cluster's stream. It is removed on close, because the dispatcher may
   * outlive this server.
   */
  private final Consumer<ClusterName> workListener =
      cluster -> agents.get(cluster).ifPresent(AgentSession::sendDue);

  @GuardedBy("this")
  private State state = State.NEW;

  @GuardedBy("this")
  private Server server;

  @GuardedBy("this")
  private ScheduledExecutorService scheduler;

  @GuardedBy("this")
  private TransportFailureLog transportFailures;

  private FederationServer(Builder config) {
    this.config = config;
    this.dispatcher = config.dispatcher != null
        ? config.dispatcher
        : new Dispatcher(config.clock, config.settings.resendAfter());
    this.monitor =
        new MembershipMonitor(
            config.members,
            config.leadership,
            config.fence,
            config.clock,
            config.settings.heartbeatGrace(),
            config.settings.heartbeatWriteInterval(),
            this::revoke);
  }

  public static Builder builder(
      CertificateAuthority authority, IssuedCertificate serving, HubSettings settings) {
    return new Builder(authority, serving, settings);
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws IOException when the port cannot be bound; the server is then closed
   * @throws IllegalStateException when not NEW
   */
  public synchronized FederationServer start() throws IOException {
    if (state != State.NEW) {
      throw new IllegalStateException("FederationServer cannot start: state is " + state);
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("hub-federation-timer").setDaemon(true).build());
    transportFailures = TransportFailureLog.attach(config.clock);
    try {
      AgentSession.Services services =
          new AgentSession.Services(
              dispatcher,
              monitor,
              config.leadership,
              agents,
              config.settings,
              config.clock,
              config.ticker,
              config.statusSink);
      JoinHandler joins =
          new JoinHandler(
              new TokenRedeemer(config.tokens, config.clock),
              config.authority,
              config.members,
              config.clock,
              config.settings.certificateValidity(),
              config.settings.endpoints());
      FederationService service = new FederationService(joins, config.members, services);

      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(config.host, config.port), credentials())
              .addService(
                  ServerInterceptors.intercept(
                      ServerInterceptors.intercept(service, config.interceptors),
                      new ClientIdentityInterceptor()))
              .maxInboundMessageSize(config.settings.maxMessageBytes())
              .maxInboundMetadataSize(16 * 1024)
              .handshakeTimeout(10, TimeUnit.SECONDS)
              .keepAliveTime(30, TimeUnit.SECONDS)
              .keepAliveTimeout(10, TimeUnit.SECONDS)
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .build()
              .start();

      dispatcher.addListener(workListener);
      monitor.start(scheduler, config.settings.membershipCheckInterval());
      long tickMillis = config.settings.heartbeatInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::tickSessions, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
      state = State.STARTED;
      log.info("Federation server started. address={}:{}", config.host, server.getPort());
      return this;
    } catch (IOException | RuntimeException e) {
      state = State.STARTED;
      close();
      throw e;
    }
  }

  /** Returns the bound port; useful when the builder asked for port 0. */
  public synchronized int port() {
    if (state != State.STARTED) {
      throw new IllegalStateException("FederationServer has no port: state is " + state);
    }
    return server.getPort();
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public MembershipMonitor monitor() {
    return monitor;
  }

  /**
   * Returns how many connections to the agent endpoint failed since start, before or while
   * serving a stream (plaintext, random bytes, failed TLS handshakes, resets). Each is also logged.
   */
  public long failedConnectionCount() {
    TransportFailureLog failures;
    synchronized (this) {
      failures = transportFailures;
    }
    return failures == null ? 0 : failures.failures();
  }

  /** Returns how many clusters have an open stream now. */
  public int connectedAgentCount() {
    return agents.size();
  }

  /** Returns whether the cluster has an open stream now. */
  public boolean isConnected(ClusterName cluster) {
    return agents.get(cluster).isPresent();
  }

  /** Closes the cluster's stream because its MemberCluster was deleted. */
  public void revoke(ClusterName cluster) {
    agents
        .get(cluster)
        .ifPresent(
            session ->
                session.close(
                    Status.PERMISSION_DENIED.withDescription(
                        "MemberCluster " + cluster + " was deleted; its identity is revoked")));
  }

  /** Stops accepting calls, ends every stream and waits up to 5 s for them. Idempotent. */
  @Override
  public void close() {
    Server toStop;
    ScheduledExecutorService toShutDown;
    TransportFailureLog failures;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      toStop = server;
      toShutDown = scheduler;
      failures = transportFailures;
    }

    dispatcher.removeListener(workListener);
    monitor.close();
    for (AgentSession session : agents.all()) {
      session.close(Status.UNAVAILABLE.withDescription("hub shutting down; reconnect"));
    }

    if (toStop != null) {
      toStop.shutdown();
      try {
        if (!toStop.awaitTermination(5, TimeUnit.SECONDS)) {
          toStop.shutdownNow();
          toStop.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        toStop.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }

    if (toShutDown != null) {
      toShutDown.shutdownNow();
    }
    if (failures != null) {
      failures.close();
    }
    log.info("Federation server closed.");
  }

  private void tickSessions() {
    try {
      for (AgentSession session : agents.all()) {
        session.tick();
      }
    } catch (RuntimeException e) {
      // A throwing periodic task would stop silently, so log and keep ticking.
      log.error("Session tick failed", e);
    }
  }

  private io.grpc.ServerCredentials credentials() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("rampart-hub-ca", config.authority.certificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      X509ExtendedTrustManager caTrust = null;
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          caTrust = extended;
        }
      }
      if (caTrust == null) {
        throw new IllegalStateException("The JDK offers no X509ExtendedTrustManager");
      }
      return TlsServerCredentials.newBuilder()
          .keyManager(
              new ByteArrayInputStream(config.serving.chainPem().getBytes(StandardCharsets.US_ASCII)),
              new ByteArrayInputStream(config.serving.privateKeyPem().getBytes(StandardCharsets.US_ASCII)))
          .trustManager(new LoggingClientTrustManager(caTrust))
          .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
          .build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Failed to build the hub's TLS credentials", e);
    }
  }

  /** Configures a {@link FederationServer}; not thread-safe. */
  public static final class Builder {
    private final CertificateAuthority authority;
    private final IssuedCertificate serving;
    private final HubSettings settings;
    private BootstrapTokenStore tokens;
    private MemberClusterStore members;
    private Leadership leadership;
    private WriteFence fence = WriteFence.NONE;
    private Dispatcher dispatcher;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();
    private String host = "127.0.0.1";
    private int port;
    private BiConsumer<ClusterName, WorkStatus> statusSink = (cluster, status) -> {};
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder(CertificateAuthority authority, IssuedCertificate serving, HubSettings settings) {
      this.authority = requireNonNull(authority, "authority");
      this.serving = requireNonNull(serving, "serving");
      this.settings = requireNonNull(settings, "settings");
    }

    public Builder tokens(BootstrapTokenStore value) {
      this.tokens = requireNonNull(value, "tokens");
      return this;
    }

    public Builder members(MemberClusterStore value) {
      this.members = requireNonNull(value, "members");
      return this;
    }

    public Builder leadership(Leadership value) {
      this.leadership = requireNonNull(value, "leadership");
      return this;
    }

    /**
     * Sets the fence checked before MemberCluster status writes. The default admits everything,
     * which is right only for a single replica.
     */
    public Builder fence(WriteFence value) {
      this.fence = requireNonNull(value, "fence");
      return this;
    }

    /** Uses an existing dispatcher, so that owed work survives a server restart in tests. */
    public Builder dispatcher(Dispatcher value) {
      this.dispatcher = requireNonNull(value, "dispatcher");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    public Builder ticker(Ticker value) {
      this.ticker = requireNonNull(value, "ticker");
      return this;
    }

    /** Sets the address to bind; the default is 127.0.0.1. */
    public Builder host(String value) {
      this.host = requireNonNull(value, "host");
      return this;
    }

    /** Sets the port to bind; the default 0 picks a free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port: " + value + " (expected: 0 to 65535)");
      }
      this.port = value;
      return this;
    }

    /** Receives WorkStatus messages for work the reporting cluster owns, on gRPC threads. */
    public Builder statusSink(BiConsumer<ClusterName, WorkStatus> value) {
      this.statusSink = requireNonNull(value, "statusSink");
      return this;
    }

    /**
     * Adds an interceptor that runs after the client identity is known, for metrics or auditing.
     * Interceptors added later run first.
     */
    public Builder interceptor(ServerInterceptor value) {
      interceptors.add(requireNonNull(value, "value"));
      return this;
    }

    public FederationServer build() {
      if (tokens == null || members == null || leadership == null) {
        throw new IllegalStateException(
            "FederationServer.Builder: tokens, members and leadership are required (call"
                + " tokens(...), members(...) and leadership(...))");
      }
      return new FederationServer(this);
    }
  }
}
