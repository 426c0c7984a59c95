package io.rbee.jobs;

import java.util.List;

/**
 * The one JSON error shape of every rbee HTTP API:
 * {@code {"error": {"code": "unknown_operation", "message": "...", "expected": [...]}}}.
 * {@code expected} lists valid values where that helps (the operations that exist).
 */
public record ErrorBody(Detail error) {
  public record Detail(String code, String message, List<String> expected) {}

  public static ErrorBody of(String code, String message) {
    return new ErrorBody(new Detail(code, message, null));
  }

  public static ErrorBody of(String code, String message, List<String> expected) {
    return new ErrorBody(new Detail(code, message, expected));
  }
}
