package com.petuum.rampart.agent.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import com.petuum.rampart.agent.helm.ChartReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The SHA-256 of a release's chart reference and values. The controller stores it on the
 * component namespace after a successful install and skips Helm when it has not changed, so an
 * update of one component upgrades only that component's release.
 */
final class ReleaseDigest {

  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ReleaseDigest() {}

  static String of(ChartReference chart, Map<String, Object> values) {
    try {
      String text = chart.repositoryUrl() + "\n" + chart.name() + "\n" + chart.version() + "\n" + JSON.writeValueAsString(values);
      return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("values: cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
