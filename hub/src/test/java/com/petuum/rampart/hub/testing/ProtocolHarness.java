package com.petuum.rampart.hub.testing;

import com.petuum.rampart.agent.connect.AgentSettings;
import com.petuum.rampart.agent.connect.Backoff;
import com.petuum.rampart.agent.connect.HubClient;
import com.petuum.rampart.agent.identity.AgentCredentials;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.InMemoryCredentialStore;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.inventory.FixedInventorySource;
import com.petuum.rampart.agent.inventory.InventorySource;
import com.petuum.rampart.agent.work.SliceApplier;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.join.BootstrapToken;
import com.petuum.rampart.hub.join.InMemoryBootstrapTokenStore;
import com.petuum.rampart.hub.join.StoredToken;
import com.petuum.rampart.hub.membership.InMemoryMemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.pki.IssuedCertificate;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.Inventory;
import com.petuum.rampart.proto.v1.ResourceQuantities;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A hub on 127.0.0.1 with in-memory stores, and real agents that join and connect to it over
 * TLS. Settings are fast (1 s heartbeats) so that tests finish quickly. Closing ends every agent
 * and the hub. Not thread-safe: one test drives it.
 */
public final class ProtocolHarness implements AutoCloseable {

  public final Clock clock = Clock.systemUTC();
  public final CertificateAuthority authority =
      CertificateAuthority.generate("rampart-hub-ca", Duration.ofDays(365), clock);
  public final IssuedCertificate serving =
      authority.issueServingCertificate(List.of("127.0.0.1"), Duration.ofDays(30));
  public final InMemoryBootstrapTokenStore tokens = new InMemoryBootstrapTokenStore();
  public final InMemoryMemberClusterStore members = new InMemoryMemberClusterStore();
  public final MutableLeadership leadership = new MutableLeadership(1);
  public Dispatcher dispatcher;
  public final HubSettings settings;
  public FederationServer server;
  private final List<ServerInterceptor> interceptors = new ArrayList<>();
  /** Every WorkStatus the hub accepted, with the cluster that sent it. */
  public final List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService agentScheduler = Executors.newScheduledThreadPool(2);
  private final List<HubClient> clients = new ArrayList<>();
  private int port;

  public ProtocolHarness() {
    this(
        HubSettings.defaults(List.of())
            .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5))
            .withResendAfter(Duration.ofSeconds(1)));
  }

  public ProtocolHarness(HubSettings settings) {
    this.settings = settings;
    this.dispatcher = new Dispatcher(clock, settings.resendAfter());
  }

  /** Adds an interceptor to every hub started after this call. */
  public ProtocolHarness interceptor(ServerInterceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  /** Starts the hub, on the port of the previous run when there was one. */
  public ProtocolHarness start() throws IOException {
    FederationServer.Builder builder =
        FederationServer.builder(authority, serving, settings)
            .tokens(tokens)
            .members(members)
            .leadership(leadership)
            .dispatcher(dispatcher)
            .clock(clock)
            .statusSink((cluster, status) -> statuses.add(cluster + " " + status.getKey().getGraphUid() + " " + status.getPhase()))
            .port(port);
    interceptors.forEach(builder::interceptor);
    server = builder.build().start();
    port = server.port();
    return this;
  }

  /** Closes the hub and starts a new one on the same port, keeping the dispatcher. */
  public void restart() throws IOException {
    server.close();
    start();
  }

  public int port() {
    return port;
  }

  public HubAddress address() {
    return new HubAddress("127.0.0.1", port);
  }

  /** Creates an unused token for the cluster, valid for an hour, and returns its text. */
  public String createToken(ClusterName cluster) {
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());
    tokens.create(StoredToken.unused(token, cluster, clock.instant().plus(Duration.ofHours(1))));
    return token.text();
  }

  /** Joins the cluster with a new token through the real Join call. */
  public AgentCredentials join(ClusterName cluster) {
    return new Joiner(clock, "test").join(address(), authority.pin(), cluster, createToken(cluster));
  }

  /** Returns fast agent settings pointing at the given address. */
  public static AgentSettings agentSettings(HubAddress hub) {
    return AgentSettings.defaults(hub, "test", "v1.36.3")
        .withHeartbeatInterval(Duration.ofSeconds(1))
        .withInventoryInterval(Duration.ofMillis(500))
        .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
  }

  /** Joins and starts an agent for the cluster with a small fixed inventory. */
  public HubClient startAgent(ClusterName cluster, SliceApplier applier) {
    return startAgent(cluster, applier, agentSettings(address()), fixedInventory());
  }

  /** Joins and starts an agent with the given settings and inventory source. */
  public HubClient startAgent(
      ClusterName cluster, SliceApplier applier, AgentSettings agentSettings, InventorySource inventory) {
    InMemoryCredentialStore store = new InMemoryCredentialStore();
    store.save(join(cluster));
    HubClient client =
        new HubClient(
            agentSettings,
            cluster,
            store,
            new Joiner(clock, "test"),
            new WorkStore(applier),
            inventory,
            agentScheduler,
            clock,
            new Random(cluster.hashCode()));
    clients.add(client);
    client.start();
    return client;
  }

  public static FixedInventorySource fixedInventory() {
    return new FixedInventorySource(
        Inventory.newBuilder()
            .setAllocatable(ResourceQuantities.newBuilder().putQuantities("cpu", "16").putQuantities("memory", "64Gi"))
            .setAvailable(ResourceQuantities.newBuilder().putQuantities("cpu", "16").putQuantities("memory", "64Gi"))
            .setNodeCount(1)
            .build());
  }

  @Override
  public void close() {
    for (HubClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    agentScheduler.shutdownNow();
    try {
      agentScheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
