package com.petuum.rampart.admission.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Compares JSON trees by content: objects as maps, so field order does not matter. */
public final class JsonAssertions {

  private JsonAssertions() {}

  /**
   * Asserts that two trees hold the same content. AssertJ treats a JsonNode as an Iterable of its
   * values and would compare objects in field order, which JSON does not define.
   */
  public static void assertSameJson(JsonNode actual, JsonNode expected, String description) {
    assertThat((Object) actual).as(description).isEqualTo(expected);
  }
}
