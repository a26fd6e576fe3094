package com.petuum.rampart.hub.testing;

import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.HubMessage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Connect stream driven by hand, for tests that send what a correct agent never would. Records
 * every hub message and the final status. Closing cancels the stream and shuts the channel down.
 */
public final class RawStream implements AutoCloseable {

  private final ManagedChannel channel;
  private final StreamObserver<AgentMessage> requests;
  public final List<HubMessage> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Status> ended = new AtomicReference<>();

  public RawStream(ManagedChannel channel) {
    this.channel = channel;
    this.requests =
        FederationGrpc.newStub(channel)
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(HubMessage value) {
                    received.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.set(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.set(Status.OK);
                  }
                });
  }

  public void send(AgentMessage message) {
    requests.onNext(message);
  }

  /** Returns the status the stream ended with, or null while it is open. */
  public Status endedWith() {
    return ended.get();
  }

  @Override
  public void close() {
    if (ended.get() == null) {
      try {
        requests.onError(Status.CANCELLED.withDescription("test done").asRuntimeException());
      } catch (RuntimeException e) {
        // Already closed by the hub.
      }
    }
    channel.shutdownNow();
  }
}
