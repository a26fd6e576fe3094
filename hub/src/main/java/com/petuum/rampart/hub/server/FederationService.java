package com.petuum.rampart.hub.server;

import static java.util.Objects.requireNonNull;

import com.petuum.rampart.hub.join.JoinHandler;
import com.petuum.rampart.hub.membership.MemberClusterStore;
import com.petuum.rampart.proto.identity.ClusterName;
import com.petuum.rampart.proto.v1.AgentMessage;
import com.petuum.rampart.proto.v1.FederationGrpc;
import com.petuum.rampart.proto.v1.HubMessage;
import com.petuum.rampart.proto.v1.JoinRequest;
import com.petuum.rampart.proto.v1.JoinResponse;
import com.petuum.rampart.proto.v1.RenewRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The gRPC service: Join without a client certificate, Renew and Connect with one. Thread-safe.
 *
 * <p>Status codes follow what the agent should do next: UNAUTHENTICATED and PERMISSION_DENIED
 * mean join again with a new token, INVALID_ARGUMENT means the agent sent a bad request,
 * UNAVAILABLE means retry.
 */
final class FederationService extends FederationGrpc.FederationImplBase {

  private static final Logger log = LoggerFactory.getLogger(FederationService.class);

  private final JoinHandler joins;
  private final MemberClusterStore members;
  private final AgentSession.Services services;

  FederationService(JoinHandler joins, MemberClusterStore members, AgentSession.Services services) {
    this.joins = requireNonNull(joins, "joins");
    this.members = requireNonNull(members, "members");
    this.services = requireNonNull(services, "services");
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
    // The name is the one the agent claims; the join checks it against the token.
    MDC.put("cluster", request.getClusterName());
    try {
      response.onNext(joins.join(request));
      response.onCompleted();
    } catch (StatusException e) {
      response.onError(e);
    } catch (RuntimeException e) {
      log.error("Join failed. cluster={}", request.getClusterName(), e);
      response.onError(Status.UNAVAILABLE.withDescription("join failed on the hub; retry").withCause(e).asException());
    } finally {
      MDC.remove("cluster");
    }
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<JoinResponse> response) {
    Optional<ClusterName> cluster = ClientIdentityInterceptor.CLUSTER.get();
    if (cluster.isEmpty()) {
      response.onError(unauthenticated("Renew"));
      return;
    }
    MDC.put("cluster", cluster.get().value());
    try {
      response.onNext(joins.renew(cluster.get(), request));
      response.onCompleted();
    } catch (StatusException e) {
      response.onError(e);
    } catch (RuntimeException e) {
      log.error("Renew failed. cluster={}", cluster.get(), e);
      response.onError(Status.UNAVAILABLE.withDescription("renew failed on the hub; retry").withCause(e).asException());
    } finally {
      MDC.remove("cluster");
    }
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<HubMessage> responseObserver) {
    ServerCallStreamObserver<HubMessage> out = (ServerCallStreamObserver<HubMessage>) responseObserver;
    Optional<ClusterName> cluster = ClientIdentityInterceptor.CLUSTER.get();
    if (cluster.isEmpty()) {
      out.onError(unauthenticated("Connect"));
      return NoOpObserver.INSTANCE;
    }
    if (!members.exists(cluster.get())) {
      log.warn("Connect rejected: MemberCluster does not exist. cluster={}", cluster.get());
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription("MemberCluster " + cluster.get() + " does not exist; its identity was revoked, join again with a new token")
              .asException());
      return NoOpObserver.INSTANCE;
    }
    AgentSession session = new AgentSession(cluster.get(), ClientIdentityInterceptor.PEER.get(), out, services);
    out.setOnCancelHandler(() -> session.onError(Status.CANCELLED.asException()));
    return session;
  }

  private static StatusException unauthenticated(String method) {
    log.warn("Call rejected: no client certificate for a cluster. method={}", method);
    return Status.UNAUTHENTICATED
        .withDescription(method + " requires a client certificate for CN=cluster:<name> signed by the hub CA; join first")
        .asException();
  }

  /** Drops messages of a stream that was refused before it started. */
  private enum NoOpObserver implements StreamObserver<AgentMessage> {
    INSTANCE;

    @Override
    public void onNext(AgentMessage value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
