package com.petuum.rampart.agent.process;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.petuum.rampart.agent.identity.HubAddress;
import com.petuum.rampart.agent.identity.Joiner;
import com.petuum.rampart.agent.identity.SecretCredentialStore;
import com.petuum.rampart.agent.inventory.KubernetesInventorySource;
import com.petuum.rampart.agent.slice.LocalGraphWriter;
import com.petuum.rampart.agent.work.WorkStore;
import com.petuum.rampart.proto.identity.ClusterName;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Wires one agent: the member apiserver client, the credential store, the joiner, the writer of
 * local graphs and the work store that calls it, and the inventory source. {@link AgentProcesses} joins and connects.
 */
final class AgentModule extends AbstractModule {

  private final AgentOptions options;

  AgentModule(AgentOptions options) {
    this.options = requireNonNull(options, "options");
  }

  @Override
  protected void configure() {
    bind(AgentOptions.class).toInstance(options);
    bind(Clock.class).toInstance(Clock.systemUTC());
  }

  @Provides
  @Singleton
  ClusterName clusterName() {
    return new ClusterName(options.clusterName());
  }

  @Provides
  @Singleton
  HubAddress hubAddress() {
    return HubAddress.parse(options.hubAddress());
  }

  @Provides
  @Singleton
  ApiClient memberClient() {
    try {
      return options.kubeconfig().isEmpty()
          ? Config.fromCluster()
          : Config.fromConfig(options.kubeconfig().get().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build a client for the member apiserver from "
          + options.kubeconfig().map(Path::toString).orElse("the in-cluster service account"), e);
    }
  }

  @Provides
  @Singleton
  SecretCredentialStore credentials(ApiClient client) {
    return new SecretCredentialStore(client, options.namespace(), AgentOptions.CREDENTIALS_SECRET);
  }

  @Provides
  @Singleton
  Joiner joiner(Clock clock) {
    return new Joiner(clock, AgentProcesses.AGENT_VERSION);
  }

  @Provides
  @Singleton
  LocalGraphWriter localGraphWriter(ApiClient client, Clock clock) {
    return new LocalGraphWriter(client, clock);
  }

  @Provides
  @Singleton
  WorkStore workStore(LocalGraphWriter writer) {
    return new WorkStore(writer);
  }

  @Provides
  @Singleton
  KubernetesInventorySource inventory(ApiClient client) {
    return new KubernetesInventorySource(client, options.capabilities());
  }
}
