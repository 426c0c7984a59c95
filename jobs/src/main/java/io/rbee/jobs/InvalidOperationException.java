package io.rbee.jobs;

/** An operation that cannot run as given; the message names the field and the bad value. */
public final class InvalidOperationException extends RuntimeException {
  public InvalidOperationException(String message) {
    super(message);
  }
}
