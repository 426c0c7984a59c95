package io.rbee.jobs;

import java.util.Objects;

/**
 * A job that failed for a reason its user should read: {@code kind} says why, in a stable word
 * ({@link ErrorKind}) that becomes the job's {@code error_kind}; the message says what
 * happened and, where it can, what to do.
 */
public class OperationException extends RuntimeException {
  private final ErrorKind kind;

  public OperationException(ErrorKind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public OperationException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public ErrorKind kind() {
    return kind;
  }

  /**
   * The word the job's {@code error_kind} carries: {@link #kind()}'s, except where a relay
   * passes on a downstream word as it came ({@link RelayedFailureException}).
   */
  public String wireKind() {
    return kind.wire();
  }
}
