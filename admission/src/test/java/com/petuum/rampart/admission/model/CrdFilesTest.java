package com.petuum.rampart.admission.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.admission.testing.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the CRD files against the versions the admission code serves. */
class CrdFilesTest {

  private static final Path HUB_GRAPHS = Yaml.repositoryRoot().resolve("deploy/hub/crds/rampartgraphs.yaml");
  private static final Path AGENT_GRAPHS = Yaml.repositoryRoot().resolve("deploy/agent/crds/rampartgraphs.yaml");

  @Test
  void agentGraphCrdEqualsHubs() throws Exception {
    assertThat(Files.readString(AGENT_GRAPHS)).isEqualTo(Files.readString(HUB_GRAPHS));
  }

  @Test
  void graphCrdServesEveryVersionWithV1Stored() {
    JsonNode spec = Yaml.read(HUB_GRAPHS).path("spec");

    List<String> served = new ArrayList<>();
    List<String> stored = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (version.path("served").asBoolean()) {
        served.add(GraphVersion.GROUP + "/" + version.path("name").asText());
      }
      if (version.path("storage").asBoolean()) {
        stored.add(version.path("name").asText());
      }
    }

    assertThat(served).containsExactly(GraphVersion.servedApiVersions().split(", "));
    assertThat(stored).containsExactly(GraphVersion.V1.versionName());
    assertThat(spec.path("names").path("shortNames").get(0).asText()).isEqualTo("rg");
    assertThat(spec.path("conversion").path("strategy").asText()).isEqualTo("Webhook");
    assertThat(spec.path("versions").get(0).path("deprecated").asBoolean()).isTrue();
  }

  @Test
  void onlyV1SchemaHoldsPlacement() {
    JsonNode versions = Yaml.read(HUB_GRAPHS).path("spec").path("versions");

    for (JsonNode version : versions) {
      JsonNode spec = version.path("schema").path("openAPIV3Schema").path("properties").path("spec").path("properties");
      boolean v1 = version.path("name").asText().equals("v1");
      assertThat(spec.has("placement")).as(version.path("name").asText()).isEqualTo(v1);
      assertThat(spec.has("deploy")).as(version.path("name").asText()).isEqualTo(!version.path("name").asText().equals("v1beta1"));
    }
  }
}
