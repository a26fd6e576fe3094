package com.petuum.rampart.common.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorTextTest {

  @Test
  void statusBodyGivesItsMessage() {
    String body = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",\
        "message":"storage is (re)initializing","reason":"TooManyRequests","code":429}
        """;

    assertThat(ApiErrorText.of(429, body, "Message: Too Many Requests\nHTTP response headers: {...}"))
        .isEqualTo("storage is (re)initializing");
  }

  @Test
  void otherBodyKeptOnOneLine() {
    assertThat(ApiErrorText.of(502, "<html>\n  <body>Bad Gateway</body>\n</html>\n", "Bad Gateway"))
        .isEqualTo("<html> <body>Bad Gateway</body> </html>");
  }

  @Test
  void noResponseGivesFallback() {
    assertThat(ApiErrorText.of(0, null, "java.net.ConnectException: Connection refused"))
        .isEqualTo("java.net.ConnectException: Connection refused");
    assertThat(ApiErrorText.of(503, "", null)).isEqualTo("HTTP 503 without a response body");
  }

  @Test
  void withCodeStartsWithStatus() {
    String body = "{\"kind\":\"Status\",\"message\":\"rampartgraphs \\\"web\\\" not found\",\"code\":404}";

    assertThat(ApiErrorText.withCode(404, body, "Not Found")).isEqualTo("HTTP 404 rampartgraphs \"web\" not found");
    assertThat(ApiErrorText.withCode(0, null, "java.net.ConnectException: Connection refused"))
        .isEqualTo("java.net.ConnectException: Connection refused");
  }

  @Test
  void longBodyIsCut() {
    String text = ApiErrorText.of(500, "x".repeat(2000), "");

    assertThat(text).hasSize(ApiErrorText.MAX_LENGTH + 3);
    assertThat(text).endsWith("...");
  }
}
