package com.petuum.rampart.agent.controller;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.petuum.rampart.common.status.ApiErrorText;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds changed RampartGraphs by listing them all and comparing each graph's generation,
 * deletion timestamp and labels with the last list. It hands every new, changed or vanished graph
 * to a consumer, and every graph once per resync period. Status writes change none of the compared
 * fields, so the controller's own status updates do not queue the graph again.
 *
 * <p>NOTE: client-java 27's shared informer over {@code GenericKubernetesApi} with
 * {@code DynamicKubernetesObject} failed here on every list with a NullPointerException on the
 * list metadata (ReflectorRunnable line 107), so this lister replaces it. A list per poll costs
 * more than a watch; a typed model class and a real informer would replace it.
 *
 * <p>Not thread-safe: confined to the controller's poll thread.
 */
final class GraphPoller {

  private static final Logger log = LoggerFactory.getLogger(GraphPoller.class);

  private final ApiClient client;
  private final CustomObjectsApi customObjects;
  private final Duration resyncPeriod;
  private final Clock clock;
  private final Consumer<GraphKey> changed;
  private Map<GraphKey, String> lastFingerprints = new HashMap<>();
  private Instant lastResync = Instant.MIN;

  GraphPoller(ApiClient client, Duration resyncPeriod, Clock clock, Consumer<GraphKey> changed) {
    this.client = client;
    this.customObjects = new CustomObjectsApi(client);
    this.resyncPeriod = resyncPeriod;
    this.clock = clock;
    this.changed = changed;
  }

  /** Lists every graph once and reports the changes since the previous call. */
  void poll() {
    Map<GraphKey, String> fingerprints;
    try {
      Object list = customObjects.listClusterCustomObject(GraphApi.GROUP, GraphApi.VERSION, GraphApi.PLURAL).execute();
      fingerprints = fingerprints(list);
    } catch (ApiException e) {
      log.warn("Listing RampartGraphs failed; trying again at the next poll. code={} error={}",
          e.getCode(), ApiErrorText.of(e.getCode(), e.getResponseBody(), e.getMessage()));
      return;
    }
    boolean resync = Duration.between(lastResync, clock.instant()).compareTo(resyncPeriod) >= 0;
    if (resync) {
      lastResync = clock.instant();
    }
    for (Map.Entry<GraphKey, String> entry : fingerprints.entrySet()) {
      if (resync || !entry.getValue().equals(lastFingerprints.get(entry.getKey()))) {
        changed.accept(entry.getKey());
      }
    }
    for (GraphKey gone : lastFingerprints.keySet()) {
      if (!fingerprints.containsKey(gone)) {
        changed.accept(gone);
      }
    }
    lastFingerprints = fingerprints;
  }

  private Map<GraphKey, String> fingerprints(Object list) {
    Gson gson = client.getJSON().getGson();
    JsonObject tree = gson.toJsonTree(list).getAsJsonObject();
    Map<GraphKey, String> fingerprints = new HashMap<>();
    JsonArray items = tree.has("items") ? tree.getAsJsonArray("items") : new JsonArray();
    for (JsonElement item : items) {
      JsonObject metadata = item.getAsJsonObject().getAsJsonObject("metadata");
      String fingerprint = metadata.get("generation") + "|" + metadata.get("deletionTimestamp") + "|"
          + metadata.get("labels");
      fingerprints.put(new GraphKey(metadata.get("namespace").getAsString(), metadata.get("name").getAsString()), fingerprint);
    }
    return fingerprints;
  }
}
