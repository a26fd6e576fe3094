package com.petuum.rampart.admission.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.admission.testing.Yaml;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  private final PolicyValidator validator = new PolicyValidator();

  @Test
  void acceptsFullPolicy() {
    String policy =
        """
        apiVersion: rampart.petuum.com/v1
        kind: PlacementPolicy
        metadata: {name: gpu-first, namespace: ml}
        spec:
          graphSelector: {matchLabels: {team: vision}}
          priority: 10
          clusterAffinity: {clusterNames: [gpu-east], labelSelector: {matchLabels: {gpu: a100}}}
          preferredAffinities: [{weight: 100, labelSelector: {matchLabels: {topology.rampart.petuum.com/provider: onprem}}}]
          tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}, {operator: Exists}]
          spread: {topologyKey: topology.rampart.petuum.com/region, minDomains: 2}
          componentRules:
            - match: {chartNames: [batch-executor]}
              resources: [{count: 2, requests: {cpu: "4", nvidia.com/gpu: "1", hugepages-2Mi: 1Gi}}]
          strategy: Spread
          failover: {enabled: true, tolerationSeconds: 60, mode: Immediate}
        """;

    assertThat(validator.validate(Yaml.parse(policy)).errors()).isEmpty();
  }

  @Test
  void reportsEveryInvalidFieldWithItsPath() {
    String policy =
        """
        apiVersion: rampart.petuum.com/v1
        kind: PlacementPolicy
        metadata: {name: broken}
        spec:
          graphSelector:
            matchLabels: {"bad key!": x}
            matchExpressions: [{key: team, operator: In}]
          clusterAffinity: {clusterNames: []}
          preferredAffinities: [{weight: 101, labelSelector: {}}]
          tolerations: [{key: gpu, operator: Exists, value: reserved}]
          spread: {minDomains: 0}
          componentRules: [{match: {}}]
          strategy: Random
          failover: {tolerationSeconds: -1, mode: Later}
        """;

    ValidationReport report = validator.validate(Yaml.parse(policy));

    assertThat(report.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "spec.graphSelector.matchLabels[\"bad key!\"]",
            "spec.graphSelector.matchExpressions[0].values",
            "spec.clusterAffinity.clusterNames",
            "spec.preferredAffinities[0].weight",
            "spec.tolerations[0].value",
            "spec.spread.topologyKey",
            "spec.spread.minDomains",
            "spec.componentRules[0].match",
            "spec.strategy",
            "spec.failover.tolerationSeconds",
            "spec.failover.mode");
  }
}
