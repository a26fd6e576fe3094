package com.petuum.rampart.agent.identity;

import com.petuum.rampart.proto.identity.CaPin;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Builds the gRPC channels an agent uses to reach the hub. */
public final class HubChannels {

  private HubChannels() {}

  /** Returns a channel for Join that trusts the hub by the pinned CA hash and sends no certificate. */
  public static ManagedChannel forJoin(HubAddress hub, CaPin pin, Clock clock) {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder().trustManager(new PinnedCaTrustManager(pin, clock)).build();
    return Grpc.newChannelBuilderForAddress(hub.host(), hub.port(), credentials).build();
  }

  /**
   * Returns a mutually authenticated channel for Connect and Renew.
   *
   * @param maxMessageBytes the largest message the agent accepts from the hub
   */
  public static ManagedChannel forConnect(
      HubAddress hub, AgentCredentials credentials, int maxMessageBytes) {
    ChannelCredentials tls;
    try {
      tls =
          TlsChannelCredentials.newBuilder()
              .keyManager(stream(credentials.certificatePem()), stream(credentials.privateKeyPem()))
              .trustManager(stream(credentials.caBundlePem()))
              .build();
    } catch (IOException e) {
      throw new IllegalArgumentException("agent credentials do not load: " + e.getMessage(), e);
    }
    return Grpc.newChannelBuilderForAddress(hub.host(), hub.port(), tls)
        .maxInboundMessageSize(maxMessageBytes)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
