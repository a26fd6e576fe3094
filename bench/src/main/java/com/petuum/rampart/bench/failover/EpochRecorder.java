package com.petuum.rampart.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the benchmark's graphs every 50 ms and records each status write it finds (a new resource
 * version with a {@code status.epoch}), and each write whose epoch is older than one found before,
 * which is a write a deposed leader got through. A write overwritten within one poll is not seen, so the
 * count of writes is a lower bound. Thread-safe: a daemon thread polls; the results are read after
 * {@link #stop}.
 */
final class EpochRecorder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CustomObjectsApi api;
  private final String namespace;
  private final Map<String, String> lastVersion = new HashMap<>();
  private final List<String> stale = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long highest;
  private int writes;
  private int failedPolls;

  EpochRecorder(ApiClient hub, String namespace) {
    this.api = new CustomObjectsApi(hub);
    this.namespace = namespace;
    this.thread = new Thread(this::run, "epoch-recorder");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }

  synchronized int writes() {
    return writes;
  }

  synchronized List<String> staleWrites() {
    return List.copyOf(stale);
  }

  synchronized int failedPolls() {
    return failedPolls;
  }

  private void run() {
    while (running) {
      try {
        JsonNode list = JSON.valueToTree(api.listNamespacedCustomObject(
            "rampart.petuum.com", "v1", namespace, "rampartgraphs").execute());
        record(list);
      } catch (ApiException | RuntimeException e) {
        synchronized (this) {
          failedPolls++;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void record(JsonNode list) {
    for (JsonNode item : list.path("items")) {
      String name = item.path("metadata").path("name").asText();
      String version = item.path("metadata").path("resourceVersion").asText();
      JsonNode epochNode = item.path("status").path("epoch");
      if (version.equals(lastVersion.put(name, version)) || !epochNode.isNumber()) {
        continue;
      }
      long epoch = epochNode.asLong();
      writes++;
      if (epoch < highest) {
        stale.add(name + " epoch=" + epoch + " after epoch " + highest + " resourceVersion=" + version);
      }
      highest = Math.max(highest, epoch);
    }
  }
}
