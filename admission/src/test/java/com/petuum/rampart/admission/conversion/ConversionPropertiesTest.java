package com.petuum.rampart.admission.conversion;

import static com.petuum.rampart.admission.testing.JsonAssertions.assertSameJson;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.model.GraphVersion;
import com.petuum.rampart.admission.testing.RandomJson;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every conversion path between the served versions gives back the object it started from. */
class ConversionPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final GraphConverter converter = new GraphConverter();

  /** Builds a random graph of {@code version}, with random values wherever the schema allows any. */
  static ObjectNode randomGraph(Random random, GraphVersion version) {
    ObjectNode graph = NODES.objectNode();
    graph.put("apiVersion", version.apiVersion());
    graph.put("kind", "RampartGraph");
    ObjectNode metadata = graph.putObject("metadata");
    metadata.put("name", "g" + random.nextInt(100));

    if (random.nextBoolean()) {
      ObjectNode annotations = metadata.putObject("annotations");
      annotations.put("team", "t" + random.nextInt(10));
    }

    ObjectNode spec = graph.putObject("spec");
    if (version.hasDeploy() && random.nextBoolean()) {
      spec.put("deploy", random.nextBoolean());
    }
    if (version.hasPlacement() && random.nextBoolean()) {
      spec.set("placement", RandomJson.object(random, 3));
    }

    ObjectNode components = spec.putObject("graph").putObject("components");
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      ObjectNode component = RandomJson.object(random, 2);
      component.remove("resources");
      component.remove("placement");
      if (version.hasPlacement() && random.nextBoolean()) {
        component.set("resources", RandomJson.value(random, 2));
      }
      if (version.hasPlacement() && random.nextBoolean()) {
        component.set("placement", RandomJson.object(random, 2));
      }
      components.set("c" + i, component);
    }
    ((ObjectNode) spec.get("graph")).set("flows", RandomJson.object(random, 2));

    if (random.nextBoolean()) {
      graph.set("status", RandomJson.object(random, 2));
    }
    return graph;
  }

  @Property(tries = 1000)
  void v1SurvivesEveryOlderVersion(@ForAll long seed) throws Exception {
    ObjectNode v1 = randomGraph(new Random(seed), GraphVersion.V1);

    for (GraphVersion older : new GraphVersion[] {GraphVersion.V1BETA1, GraphVersion.V1BETA2}) {
      ObjectNode back = converter.convert(converter.convert(v1, older), GraphVersion.V1);

      assertSameJson(back, v1, String.format("through %s", older));
    }
    ObjectNode chained = converter.convert(
        converter.convert(converter.convert(v1, GraphVersion.V1BETA1), GraphVersion.V1BETA2), GraphVersion.V1);
    assertSameJson(chained, v1, "chained");
  }

  @Property(tries = 1000)
  void v1beta1SurvivesEveryNewerVersion(@ForAll long seed) throws Exception {
    ObjectNode v1beta1 = randomGraph(new Random(seed), GraphVersion.V1BETA1);

    for (GraphVersion newer : new GraphVersion[] {GraphVersion.V1BETA2, GraphVersion.V1}) {
      ObjectNode back = converter.convert(converter.convert(v1beta1, newer), GraphVersion.V1BETA1);

      assertSameJson(back, v1beta1, String.format("through %s", newer));
    }
  }

  @Property(tries = 1000)
  void v1beta2SurvivesEveryOtherVersion(@ForAll long seed) throws Exception {
    ObjectNode v1beta2 = randomGraph(new Random(seed), GraphVersion.V1BETA2);

    for (GraphVersion other : new GraphVersion[] {GraphVersion.V1BETA1, GraphVersion.V1}) {
      ObjectNode back = converter.convert(converter.convert(v1beta2, other), GraphVersion.V1BETA2);

      assertSameJson(back, v1beta2, String.format("through %s", other));
    }
  }

  @Property(tries = 500)
  void convertingToTheSameVersionChangesNothing(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    GraphVersion version = GraphVersion.values()[random.nextInt(GraphVersion.values().length)];
    ObjectNode graph = randomGraph(random, version);

    assertSameJson(converter.convert(graph, version), graph, "same version");
  }
}
