package io.rbee.jobs;

/**
 * A failure reported by a downstream job (a hive's, a worker's) whose own narration, error
 * included, was already relayed into this job: the job server ends the job failed with this
 * kind and message without narrating the error a second time.
 *
 * <p>The downstream word is passed on as it came ({@link #wireKind()}), even one this version
 * does not know (a newer hive's): {@link #kind()} reads it with {@link ErrorKind#fromWire}.
 */
public final class RelayedFailureException extends OperationException {
  private final String wireKind;

  /** {@code wireKind}: the downstream job's {@code error_kind}; null reads as remote_job_failed. */
  public RelayedFailureException(String wireKind, String message) {
    super(ErrorKind.fromWire(wireKind), message);
    this.wireKind = wireKind == null || wireKind.isBlank() ? kind().wire() : wireKind;
  }

  @Override
  public String wireKind() {
    return wireKind;
  }
}
