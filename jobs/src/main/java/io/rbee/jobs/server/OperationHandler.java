package io.rbee.jobs.server;

import io.rbee.jobs.Operation;

/**
 * Runs operations for a daemon. Called on a job thread, once per job; returning normally means
 * the job succeeded. Throwing {@link io.rbee.jobs.OperationException} fails the job with that
 * kind and message; {@link io.rbee.jobs.JobCancelledException} (or any exception after the job
 * was cancelled) ends it cancelled; any other exception fails it with its message.
 */
@FunctionalInterface
public interface OperationHandler {
  void execute(Operation operation, JobContext job) throws Exception;
}
