package io.rbee.jobs.client;

import java.net.ConnectException;

/**
 * A job API call that did not work. The message is one line a CLI can print as is
 * ({@code queen at http://127.0.0.1:8500 is not reachable (connection refused)}); {@link #kind()}
 * says what went wrong for code that reacts.
 */
public class JobClientException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** No connection to the server (refused, unknown host, timed out). */
    UNREACHABLE,
    /** The server answered with an error (4xx/5xx other than 401 and 404). */
    REJECTED,
    /** The server refused the client's token, or its lack of one (401). */
    UNAUTHORIZED,
    /** The job or resource does not exist there (404). */
    NOT_FOUND,
    /** A job stream ended or broke before its {@code done} event and could not be resumed. */
    STREAM_BROKEN,
    /** The server answered something that is not the job API (bad JSON, wrong content type). */
    PROTOCOL
  }

  private final Kind kind;
  private final int httpStatus;
  private final String code;

  public JobClientException(Kind kind, String message) {
    this(kind, 0, null, message, null);
  }

  public JobClientException(Kind kind, int httpStatus, String code, String message,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the server answered, or 0 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The error code of the server's JSON error ({@code unknown_operation}), or null. */
  public String code() {
    return code;
  }

  /**
   * True when the connection itself was refused (nothing listens at that address), so no byte
   * of the request was sent: the call can be made again as if it had never been.
   */
  public boolean connectionRefused() {
    if (kind != Kind.UNREACHABLE) {
      return false;
    }
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
