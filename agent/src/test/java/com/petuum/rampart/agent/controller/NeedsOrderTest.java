package com.petuum.rampart.agent.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.petuum.rampart.admission.rules.GraphModels;
import org.junit.jupiter.api.Test;

class NeedsOrderTest {

  private static String graph(String components) {
    return """
        apiVersion: rampart.petuum.com/v1
        kind: RampartGraph
        metadata: {name: g, namespace: ns}
        spec:
          graph:
            flows: {}
            components:
        %s""".formatted(components.indent(6));
  }

  private static java.util.List<String> order(String components) throws Exception {
    return NeedsOrder.of(GraphModels.parse(new ObjectMapper(new YAMLFactory()).readTree(graph(components)), "ns"));
  }

  @Test
  void neededComponentsComeFirst() throws Exception {
    String components = """
        serving: {chart: {repo: http://r, name: s, version: 1.0.0}, config: {}, needs: [executor]}
        executor: {chart: {repo: http://r, name: e, version: 1.0.0}, config: {}, needs: [uploader]}
        uploader: {chart: {repo: http://r, name: u, version: 1.0.0}, config: {}}
        """;

    assertThat(order(components)).containsExactly("uploader", "executor", "serving");
  }

  @Test
  void needsOutsideGraphAreIgnored() throws Exception {
    String components = """
        serving: {chart: {repo: http://r, name: s, version: 1.0.0}, config: {}, needs: [trainer-on-other-cluster]}
        uploader: {chart: {repo: http://r, name: u, version: 1.0.0}, config: {}}
        """;

    assertThat(order(components)).containsExactly("serving", "uploader");
  }

  @Test
  void cycleKeepsEveryComponent() throws Exception {
    String components = """
        a: {chart: {repo: http://r, name: a, version: 1.0.0}, config: {}, needs: [b]}
        b: {chart: {repo: http://r, name: b, version: 1.0.0}, config: {}, needs: [a]}
        c: {chart: {repo: http://r, name: c, version: 1.0.0}, config: {}}
        """;

    assertThat(order(components)).containsExactly("c", "a", "b");
  }
}
