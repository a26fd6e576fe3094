package com.petuum.rampart.admission.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.petuum.rampart.admission.testing.RandomJson;
import com.petuum.rampart.admission.testing.Yaml;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Validation returns a report, and never throws, whatever JSON it is given. */
class ValidationPropertiesTest {

  private static final List<JsonNode> EXAMPLES =
      Yaml.examples("valid").stream().map(Yaml::read).map(JsonNode.class::cast).toList();

  private final GraphValidator graphs = new GraphValidator();
  private final PolicyValidator policies = new PolicyValidator();

  @Property(tries = 2000)
  void randomTreesAreReportedNotThrown(@ForAll long seed) {
    Random random = new Random(seed);
    ObjectNode object = RandomJson.object(random, 6);
    if (random.nextBoolean()) {
      object.put("apiVersion", "rampart.petuum.com/v1");
    }

    ValidationReport report = graphs.validate(object, "default");
    ValidationReport policyReport = policies.validate(object);

    assertThat(report.errors()).noneMatch(e -> e.message().contains("internal error"));
    assertThat(policyReport.errors()).noneMatch(e -> e.message().contains("internal error"));
  }

  @Property(tries = 2000)
  void damagedExamplesAreReportedNotThrown(@ForAll long seed) {
    Random random = new Random(seed);
    JsonNode example = EXAMPLES.get(random.nextInt(EXAMPLES.size()));
    JsonNode damaged = RandomJson.damage(example, random, 1 + random.nextInt(4));

    ValidationReport report = graphs.validate(damaged, "default");
    ValidationReport update = graphs.validateUpdate(damaged, RandomJson.damage(example, random, 2), "default");

    assertThat(report.errors()).noneMatch(e -> e.message().contains("internal error"));
    assertThat(update.errors()).noneMatch(e -> e.message().contains("internal error"));
  }

  @Property(tries = 200)
  void scalarsAndNullsAreReportedNotThrown(@ForAll long seed) {
    JsonNode value = RandomJson.value(new Random(seed), 0);

    ValidationReport report = graphs.validate(value, "default");

    assertThat(report.isValid()).isFalse();
  }
}
