package io.rbee.jobs;

/**
 * A job that failed for a reason its user should read: {@code kind} is a stable snake_case
 * word ({@code model_not_found}, {@code hive_unreachable}, {@code invalid_gguf}) that becomes the
 * narration's {@code error_kind}; the message says what happened and, where it can, what to do.
 */
public class OperationException extends RuntimeException {
  private final String kind;

  public OperationException(String kind, String message) {
    super(message);
    this.kind = kind;
  }

  public OperationException(String kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
