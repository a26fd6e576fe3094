package com.petuum.rampart.bench.comparison;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.petuum.rampart.scheduler.mapping.InvalidManifestException;
import com.petuum.rampart.scheduler.mapping.ManifestMapper;
import com.petuum.rampart.scheduler.model.Graph;
import com.petuum.rampart.scheduler.model.MemberCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the comparison's inventory and workload files with the hub's own manifest mapper. */
final class ComparisonFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ComparisonFiles() {}

  static List<MemberCluster> clusters(Path file) throws InvalidManifestException {
    List<MemberCluster> clusters = new ArrayList<>();
    for (JsonNode object : ManifestMapper.objects(read(file))) {
      clusters.add(ManifestMapper.toMemberCluster(object));
    }
    return clusters;
  }

  static List<Graph> graphs(Path file) throws InvalidManifestException {
    List<Graph> graphs = new ArrayList<>();
    for (JsonNode object : ManifestMapper.objects(read(file))) {
      graphs.add(ManifestMapper.toGraph(object));
    }
    return graphs;
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read " + file + " (generate it with bench/compare or ComparisonInputs)", e);
    }
  }
}
