package com.petuum.rampart.common.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Formats a failed Kubernetes API call as one line for a log or a status message. The apiserver
 * returns most failures as a {@code Status} object whose {@code message} describes the error.
 * The whole body would add JSON and a trailing line break, and the client's exception text
 * would add every response header.
 */
public final class ApiErrorText {

  /** Maximum length of the returned text, in characters. A longer text is cut and ends with "...". */
  static final int MAX_LENGTH = 500;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiErrorText() {}

  /**
   * Describes a failed call in one line.
   *
   * @param code the HTTP status code, or 0 when no response arrived
   * @param responseBody the response body, or null
   * @param fallback the exception's message, used when there is no response body, such as after
   *     a refused connection
   * @return the Status {@code message} when the body is a Status, else the body on one line, else
   *     {@code fallback} on one line
   */
  public static String of(int code, String responseBody, String fallback) {
    String body = responseBody == null ? "" : responseBody.strip();
    if (code != 0 && !body.isEmpty()) {
      String message = statusMessage(body);
      return oneLine(message.isEmpty() ? body : message);
    }
    return oneLine(fallback == null || fallback.isBlank() ? "HTTP " + code + " without a response body" : fallback);
  }

  /**
   * Describes a failed call in one line that starts with its HTTP status code, such as
   * {@code HTTP 429 storage is (re)initializing}. A call that got no response has no code, so
   * only the text is returned.
   */
  public static String withCode(int code, String responseBody, String fallback) {
    String text = of(code, responseBody, fallback);
    return code == 0 ? text : "HTTP " + code + " " + text;
  }

  private static String statusMessage(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node != null && "Status".equals(node.path("kind").asText())) {
        return node.path("message").asText("").strip();
      }
    } catch (JsonProcessingException e) {
      // Not JSON, such as an HTML page from a proxy, so the body itself is returned.
    }
    return "";
  }

  private static String oneLine(String text) {
    String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "...";
  }
}
