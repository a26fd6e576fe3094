package com.petuum.rampart.hub.server;

import com.petuum.rampart.proto.identity.ClusterName;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the cluster named by the caller's client certificate into the gRPC context. TLS has
 * already verified the certificate against the hub CA; this reads only its subject, so the
 * identity never comes from a message. Calls without a client certificate get an empty identity,
 * and each method decides whether it needs one. Thread-safe.
 */
final class ClientIdentityInterceptor implements ServerInterceptor {

  static final Context.Key<Optional<ClusterName>> CLUSTER = Context.key("rampart-cluster");

  /** The caller's remote address as text, for logs and MemberCluster status. */
  static final Context.Key<String> PEER = Context.key("rampart-peer");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Optional<ClusterName> cluster = clusterOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    Object remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String peer = remote == null ? "unknown" : remote.toString();
    Context context = Context.current().withValue(CLUSTER, cluster).withValue(PEER, peer);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static Optional<ClusterName> clusterOf(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return ClusterName.fromCertificate(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
