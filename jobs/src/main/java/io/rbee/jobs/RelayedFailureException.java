package io.rbee.jobs;

/**
 * A failure reported by a downstream job (a hive's, a worker's) whose own narration, error
 * included, was already relayed into this job: the job server ends the job failed with this
 * kind and message without narrating the error a second time.
 */
public final class RelayedFailureException extends OperationException {
  public RelayedFailureException(String kind, String message) {
    super(kind, message);
  }
}
