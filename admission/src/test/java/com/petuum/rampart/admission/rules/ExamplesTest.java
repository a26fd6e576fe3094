package com.petuum.rampart.admission.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.petuum.rampart.admission.testing.Yaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {

  private final GraphValidator validator = new GraphValidator();

  static List<Path> validExamples() {
    return Yaml.examples("valid");
  }

  static List<Path> invalidExamples() {
    return Yaml.examples("invalid");
  }

  @ParameterizedTest
  @MethodSource("validExamples")
  void validExampleHasNoErrors(Path file) {
    ValidationReport report = validator.validate(Yaml.read(file), "default");

    assertThat(report.errors()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalidExamples")
  void invalidExampleFailsOnlyItsRule(Path file) {
    Map<String, String> header = Yaml.headerComments(file);

    ValidationReport report = validator.validate(Yaml.read(file), "default");

    assertThat(header).containsKeys("expected-field", "expected-message");
    assertThat(report.errors()).hasSize(1);
    assertThat(report.errors().get(0).field()).isEqualTo(header.get("expected-field"));
    assertThat(report.errors().get(0).message()).contains(header.get("expected-message"));
  }
}
