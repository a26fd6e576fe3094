package com.petuum.rampart.hub.process;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.petuum.rampart.hub.control.ControllerSettings;
import com.petuum.rampart.hub.control.HubGraphController;
import com.petuum.rampart.hub.dispatch.Dispatcher;
import com.petuum.rampart.hub.join.SecretBootstrapTokenStore;
import com.petuum.rampart.hub.leader.Epoch;
import com.petuum.rampart.hub.leader.FixedLeadership;
import com.petuum.rampart.hub.leader.Leadership;
import com.petuum.rampart.hub.leader.WriteFence;
import com.petuum.rampart.hub.leader.ZooKeeperLeadership;
import com.petuum.rampart.hub.membership.ApiserverMemberClusterStore;
import com.petuum.rampart.hub.pki.CertificateAuthority;
import com.petuum.rampart.hub.pki.IssuedCertificate;
import com.petuum.rampart.hub.pki.SecretCertificateAuthorityStore;
import com.petuum.rampart.hub.server.FederationServer;
import com.petuum.rampart.hub.server.HubSettings;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Wires one hub replica: the hub apiserver client, the CA, the stores, leadership and the agent
 * endpoint. Objects are created unstarted; {@link HubProcess} starts and stops them in order.
 */
final class HubModule extends AbstractModule {

  /** Validity of a newly created hub CA. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Validity of the agent endpoint's serving certificate; it is issued anew at each start. */
  static final Duration SERVING_VALIDITY = Duration.ofDays(365);

  private final HubOptions options;

  HubModule(HubOptions options) {
    this.options = requireNonNull(options, "options");
  }

  @Override
  protected void configure() {
    bind(HubOptions.class).toInstance(options);
    bind(Clock.class).toInstance(Clock.systemUTC());
  }

  @Provides
  @Singleton
  ApiClient apiClient() {
    try {
      return options.kubeconfig().isEmpty()
          ? Config.fromCluster()
          : Config.fromConfig(options.kubeconfig().get().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build a client for the hub apiserver from "
          + options.kubeconfig().map(Path::toString).orElse("the in-cluster service account"), e);
    }
  }

  @Provides
  @Singleton
  CertificateAuthority certificateAuthority(ApiClient client, Clock clock) {
    return new SecretCertificateAuthorityStore(client, options.namespace()).loadOrCreate(CA_VALIDITY, clock);
  }

  /** Creates the ZooKeeper client, unstarted; empty when the hub runs without ZooKeeper. */
  @Provides
  @Singleton
  Optional<CuratorFramework> curator() {
    return options.zooKeeper().map(connect -> CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs((int) options.zooKeeperSessionTimeout().toMillis())
        .connectionTimeoutMs((int) Math.min(5_000, options.zooKeeperSessionTimeout().toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(200, 10))
        .build());
  }

  /**
   * Leadership through ZooKeeper, or, without it, a single replica that always leads with epoch 1.
   * NOTE: without ZooKeeper nothing fences a second replica; run one replica only.
   */
  @Provides
  @Singleton
  Leadership leadership(Optional<CuratorFramework> curator) {
    return curator.<Leadership>map(client -> new ZooKeeperLeadership(
            client, options.zooKeeperPath(), options.advertiseAddress(), Duration.ofSeconds(5)))
        .orElseGet(() -> FixedLeadership.leader(new Epoch(1)));
  }

  @Provides
  @Singleton
  Dispatcher dispatcher(Clock clock) {
    return new Dispatcher(clock, HubSettings.defaults(List.of(options.advertiseAddress())).resendAfter());
  }

  /** The graph controller, unstarted; it decides only while {@code leadership} reports that this replica leads. */
  @Provides
  @Singleton
  HubGraphController graphController(
      ApiClient client, Dispatcher dispatcher, Leadership leadership, Clock clock, PrometheusMeterRegistry registry) {
    return new HubGraphController(client, dispatcher, leadership, ControllerSettings.defaults(), clock, registry);
  }

  @Provides
  @Singleton
  PrometheusMeterRegistry meterRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  @Provides
  @Singleton
  FederationServer federationServer(
      ApiClient client, CertificateAuthority authority, HubGraphController controller, Dispatcher dispatcher,
      Leadership leadership) {
    IssuedCertificate serving = authority.issueServingCertificate(
        List.of(options.advertiseHost(), "127.0.0.1", "localhost"), SERVING_VALIDITY);
    return FederationServer.builder(authority, serving, HubSettings.defaults(List.of(options.advertiseAddress())))
        .tokens(new SecretBootstrapTokenStore(client, options.namespace()))
        .members(new ApiserverMemberClusterStore(client, "v1"))
        .leadership(controller.gatedLeadership())
        .fence(leadership instanceof WriteFence fence ? fence : WriteFence.NONE)
        .dispatcher(dispatcher)
        .statusSink(controller::onWorkStatus)
        .host(options.listenHost())
        .port(options.port())
        .build();
  }
}
