package com.petuum.rampart.admission.mutation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * A JSON Patch for a pod, and warnings for the user about wiring that was left out because the
 * pod already used the same mount path. The patch node must not be modified.
 */
public record MutationResult(ArrayNode patch, List<String> warnings) {

  public MutationResult {
    requireNonNull(patch, "patch");
    warnings = List.copyOf(requireNonNull(warnings, "warnings"));
  }
}
