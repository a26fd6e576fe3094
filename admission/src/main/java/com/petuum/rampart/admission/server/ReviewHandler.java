package com.petuum.rampart.admission.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Handles one review the apiserver sends: an AdmissionReview or a ConversionReview. Implementations
 * are thread-safe, must not block on anything slower than the apiserver itself, and return a
 * response for every input. The server turns an exception into a denial.
 */
interface ReviewHandler {

  ObjectNode handle(JsonNode review);
}
