package com.petuum.rampart.agent.controller;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1IngressRule;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads whether the workloads in a component namespace are ready, and the endpoints they expose.
 *
 * <p>Readiness rules, one per kind; a namespace without workloads is ready:
 * <ul>
 *   <li>Deployment: the controller saw the current generation, and every desired replica is
 *       updated and available.
 *   <li>StatefulSet: the controller saw the current generation, and every desired replica is
 *       updated and ready.
 *   <li>Job: it completed, or at least one of its pods is ready (a long-running job counts as
 *       ready once it runs). A job with the {@code Failed} condition fails the component.
 * </ul>
 * Thread-safe, because it keeps no state besides the clients.
 */
final class Workloads {

  private final AppsV1Api apps;
  private final BatchV1Api batch;
  private final CoreV1Api core;
  private final NetworkingV1Api networking;

  Workloads(AppsV1Api apps, BatchV1Api batch, CoreV1Api core, NetworkingV1Api networking) {
    this.apps = apps;
    this.batch = batch;
    this.core = core;
    this.networking = networking;
  }

  /**
   * The readiness of a namespace's workloads. Immutable.
   *
   * @param ready whether every workload is ready
   * @param failure the first failed workload and its reason, when one failed
   * @param waitingFor the workloads not ready yet, as {@code kind/name}
   */
  record Readiness(boolean ready, Optional<String> failure, List<String> waitingFor) {}

  Readiness readiness(String namespace) throws ApiException {
    List<String> waiting = new ArrayList<>();
    for (V1Deployment deployment : apps.listNamespacedDeployment(namespace).execute().getItems()) {
      if (!isReady(deployment)) {
        waiting.add("Deployment/" + deployment.getMetadata().getName());
      }
    }
    for (V1StatefulSet statefulSet : apps.listNamespacedStatefulSet(namespace).execute().getItems()) {
      if (!isReady(statefulSet)) {
        waiting.add("StatefulSet/" + statefulSet.getMetadata().getName());
      }
    }
    for (V1Job job : batch.listNamespacedJob(namespace).execute().getItems()) {
      Optional<String> failure = failure(job);
      if (failure.isPresent()) {
        return new Readiness(false, failure, List.copyOf(waiting));
      }
      if (!isReady(job)) {
        waiting.add("Job/" + job.getMetadata().getName());
      }
    }
    return new Readiness(waiting.isEmpty(), Optional.empty(), List.copyOf(waiting));
  }

  /**
   * Returns the endpoints of a namespace: {@code <service>.<namespace>.svc:<port>} per Service port
   * and {@code <host><path>} per Ingress path, sorted.
   */
  List<String> endpoints(String namespace) throws ApiException {
    List<String> endpoints = new ArrayList<>();
    for (V1Service service : core.listNamespacedService(namespace).execute().getItems()) {
      List<V1ServicePort> ports = service.getSpec() == null ? null : service.getSpec().getPorts();
      for (V1ServicePort port : Optional.ofNullable(ports).orElse(List.of())) {
        endpoints.add(service.getMetadata().getName() + "." + namespace + ".svc:" + port.getPort());
      }
    }
    for (V1Ingress ingress : networking.listNamespacedIngress(namespace).execute().getItems()) {
      List<V1IngressRule> rules = ingress.getSpec() == null ? null : ingress.getSpec().getRules();
      for (V1IngressRule rule : Optional.ofNullable(rules).orElse(List.of())) {
        String host = Objects.requireNonNullElse(rule.getHost(), "");
        if (rule.getHttp() == null) {
          endpoints.add(host);
          continue;
        }
        rule.getHttp().getPaths().forEach(path -> endpoints.add(host + Objects.requireNonNullElse(path.getPath(), "/")));
      }
    }
    endpoints.sort(null);
    return endpoints;
  }

  private static boolean isReady(V1Deployment deployment) {
    if (deployment.getStatus() == null) {
      return false;
    }
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    var status = deployment.getStatus();
    return Objects.requireNonNullElse(status.getObservedGeneration(), 0L) >= deployment.getMetadata().getGeneration()
        && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= desired
        && Objects.requireNonNullElse(status.getAvailableReplicas(), 0) >= desired;
  }

  private static boolean isReady(V1StatefulSet statefulSet) {
    if (statefulSet.getStatus() == null) {
      return false;
    }
    int desired = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    var status = statefulSet.getStatus();
    return Objects.requireNonNullElse(status.getObservedGeneration(), 0L) >= statefulSet.getMetadata().getGeneration()
        && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= desired
        && Objects.requireNonNullElse(status.getReadyReplicas(), 0) >= desired;
  }

  private static boolean isReady(V1Job job) {
    if (job.getStatus() == null) {
      return false;
    }
    return hasCondition(job, "Complete") || Objects.requireNonNullElse(job.getStatus().getReady(), 0) > 0;
  }

  private static Optional<String> failure(V1Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (V1JobCondition condition : job.getStatus().getConditions()) {
      if ("Failed".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return Optional.of("Job/" + job.getMetadata().getName() + " failed: "
            + Objects.requireNonNullElse(condition.getReason(), "") + " " + Objects.requireNonNullElse(condition.getMessage(), ""));
      }
    }
    return Optional.empty();
  }

  private static boolean hasCondition(V1Job job, String type) {
    return Optional.ofNullable(job.getStatus().getConditions()).orElse(List.of()).stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
