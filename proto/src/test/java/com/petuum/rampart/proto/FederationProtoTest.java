package com.petuum.rampart.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.proto.v1.Ack;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.HubMessage;
import com.petuum.rampart.proto.v1.JoinRequest;
import com.petuum.rampart.proto.v1.JoinResponse;
import com.petuum.rampart.proto.v1.Ping;
import com.petuum.rampart.proto.v1.WorkKey;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FederationProtoTest {

  @Test
  void workKeyRoundTripsThroughBytes() throws Exception {
    WorkKey key =
        WorkKey.newBuilder().setGraphUid("uid-1").setGraphNamespace("ml").setGraphName("pipe").build();
    AgentMessage message =
        AgentMessage.newBuilder()
            .setAck(Ack.newBuilder().setKey(key).setGeneration(3).setEpoch(7))
            .build();

    AgentMessage parsed = AgentMessage.parseFrom(message.toByteArray());

    assertThat(parsed.getKindCase()).isEqualTo(AgentMessage.KindCase.ACK);
    assertThat(parsed.getAck().getKey().getGraphUid()).isEqualTo("uid-1");
    assertThat(parsed.getAck().getGeneration()).isEqualTo(3);
    assertThat(parsed.getAck().getEpoch()).isEqualTo(7);
  }

  @Test
  void generatedStubsCallJoinInProcess() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new FederationGrpc.FederationImplBase() {
                  @Override
                  public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
                    response.onNext(
                        JoinResponse.newBuilder()
                            .setCertificatePem("cert for " + request.getClusterName())
                            .build());
                    response.onCompleted();
                  }

                  @Override
                  public StreamObserver<AgentMessage> connect(StreamObserver<HubMessage> out) {
                    out.onNext(HubMessage.newBuilder().setPing(Ping.getDefaultInstance()).build());
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(AgentMessage value) {}

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        out.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      JoinResponse response =
          FederationGrpc.newBlockingStub(channel)
              .join(JoinRequest.newBuilder().setClusterName("gpu-east").build());

      assertThat(response.getCertificatePem()).isEqualTo("cert for gpu-east");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
