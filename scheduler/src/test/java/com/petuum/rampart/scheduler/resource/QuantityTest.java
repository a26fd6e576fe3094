package com.petuum.rampart.scheduler.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} is {1} milli-units")
  @CsvSource({
    "500m, 500",
    "2, 2000",
    "1.5, 1500",
    "0.5, 500",
    ".5, 500",
    "16Gi, 17179869184000",
    "1Ki, 1024000",
    "1G, 1000000000000",
    "1k, 1000000",
    "1e3, 1000000",
    "1E3, 1000000",
    "2e-3, 2",
    "1P, 1000000000000000000",
    "100u, 1",
    "1n, 1",
    "0, 0",
    "+3, 3000",
    "-1, -1000",
  })
  void parsesKubernetesQuantities(String text, long milli) {
    assertThat(Quantity.parseMilli(text)).isEqualTo(milli);
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(strings = {"", "abc", "1K", "1.2.3", "Gi", "1Gb", "1 Gi", "e3", "1e", "--1", "1e1000"})
  void rejectsInvalidText(String text) {
    assertThatThrownBy(() -> Quantity.parseMilli(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantity");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1K"})
  void quotesRejectedValue(String text) {
    assertThatThrownBy(() -> Quantity.parseMilli(text)).hasMessageContaining("\"" + text + "\" is invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1E", "9E", "16Ei"})
  void rejectsOverflow(String text) {
    assertThatThrownBy(() -> Quantity.parseMilli(text)).hasMessageContaining("is too large");
  }

  @ParameterizedTest
  @CsvSource({"-1, requests.cpu: \"-1\" is negative (expected 0 or more)"})
  void rejectsNegativeResource(String text, String message) {
    assertThatThrownBy(() -> Quantity.parseNonNegativeMilli("requests.cpu", text)).hasMessage(message);
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource({"500, 500m", "2000, 2", "17179869184000, 16Gi", "1536000, 1536", "1024000, 1Ki", "0, 0"})
  void formatsMilliUnits(long milli, String text) {
    assertThat(Quantity.format(milli)).isEqualTo(text);
  }
}
