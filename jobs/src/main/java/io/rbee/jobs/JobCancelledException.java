package io.rbee.jobs;

/** Thrown by operation code that noticed its job was cancelled; the job ends "cancelled". */
public final class JobCancelledException extends RuntimeException {
  public JobCancelledException() {
    super("job cancelled");
  }
}
