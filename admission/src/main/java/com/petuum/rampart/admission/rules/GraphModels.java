package com.petuum.rampart.admission.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.petuum.rampart.admission.model.RampartGraph;

/**
 * Reads RampartGraph objects into the {@link RampartGraph} model for code that works on admitted
 * graphs: pod wiring, the agent's controller, the scheduler's input. Thread-safe.
 */
public final class GraphModels {

  private static final GraphParser PARSER = new GraphParser();

  private GraphModels() {}

  /**
   * Returns the model of {@code object}. The parser reports problems instead of throwing (the
   * validation property tests run it on random input). Parts that break the schema are left out,
   * so call {@link GraphValidator} first where errors matter.
   *
   * @param namespace the namespace to assume when {@code metadata.namespace} is empty
   */
  public static RampartGraph parse(JsonNode object, String namespace) {
    return PARSER.parse(object, namespace, new ErrorCollector());
  }
}
