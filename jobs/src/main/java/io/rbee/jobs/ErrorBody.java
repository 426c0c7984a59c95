package io.rbee.jobs;

import java.util.List;

/**
 * The one JSON error shape of every rbee HTTP API, a superset of OpenAI's so that OpenAI
 * clients read rbee's errors too:
 * {@code {"error": {"code": "unknown_operation", "message": "...", "type":
 * "invalid_request_error", "param": "model", "expected": [...]}}}. {@code type} is OpenAI's
 * class of the error, from the HTTP status ({@link #typeFor}); {@code param} names the request
 * field at fault where one is; {@code expected} lists valid values where that helps (the
 * operations that exist). Absent fields are left out.
 */
public record ErrorBody(Detail error) {
  public record Detail(String code, String message, List<String> expected, String type,
      String param) {}

  public static ErrorBody of(String code, String message) {
    return new ErrorBody(new Detail(code, message, null, null, null));
  }

  public static ErrorBody of(String code, String message, List<String> expected) {
    return new ErrorBody(new Detail(code, message, expected, null, null));
  }

  /** This error answered with {@code status}: its {@code type} filled in from the status. */
  public ErrorBody withStatus(int status) {
    Detail d = error;
    return d.type() != null ? this
        : new ErrorBody(new Detail(d.code(), d.message(), d.expected(), typeFor(status),
            d.param()));
  }

  /** This error naming {@code param}, the request field at fault. */
  public ErrorBody withParam(String param) {
    Detail d = error;
    return new ErrorBody(new Detail(d.code(), d.message(), d.expected(), d.type(), param));
  }

  /**
   * OpenAI's error type for an HTTP status: {@code authentication_error} (401),
   * {@code permission_error} (403), {@code rate_limit_error} (429), {@code server_error} (5xx),
   * else {@code invalid_request_error}.
   */
  public static String typeFor(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
