package com.petuum.rampart.admission.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountPathRuleTest {

  @ParameterizedTest(name = "{0} and {1} overlap: {2}")
  @CsvSource({
    "/a, /a/b, true",
    "/a/b, /a, true",
    "/, /a/b, true",
    "/a/b/, /a/b, true",
    "/a/b, /a/b, true",
    "/a, /ab, false",
    "/ab, /a, false",
    "/a/b, /a/c, false",
    "/a/b/c, /a/bc, false",
    "/data, /data2/x, false",
  })
  void overlapIsDecidedBySegments(String first, String second, boolean overlap) {
    boolean actual = MountPathRule.isPrefix(first, second) || MountPathRule.isPrefix(second, first);

    assertThat(actual).isEqualTo(overlap);
  }
}
