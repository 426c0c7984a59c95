package io.rbee.jobs.server;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RelayedFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job's operation on its thread and ends the job with exactly one {@code done},
 * whatever the operation does: returns, throws, throws an {@link Error}, or ignores a cancel.
 * A failure's kind ({@link OperationException#wireKind()}, else {@link ErrorKind#INTERNAL})
 * goes into the {@code done} event's {@code error_kind}.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final OperationHandler handler;

  JobRunner(OperationHandler handler) {
    this.handler = handler;
  }

  void run(Job job) {
    if (!job.start()) {
      return; // cancelled while queued: already ended
    }
    String operation = job.operation().name();
    job.metrics().started(operation);
    JobStatus status = JobStatus.SUCCEEDED;
    String error = null;
    String kind = null;
    try {
      handler.execute(job.operation(), job);
      if (job.cancelled()) {
        status = JobStatus.CANCELLED;
        error = job.cancelReason();
      }
    } catch (Throwable t) {
      if (job.cancelled() || t instanceof JobCancelledException) {
        status = JobStatus.CANCELLED;
        error = job.cancelReason() != null ? job.cancelReason() : "cancelled";
      } else {
        status = JobStatus.FAILED;
        error = HttpErrors.oneLine(t);
        kind = kindOf(t);
        narrateFailure(job, t, kind, error);
      }
    } finally {
      job.detach();
      job.metrics().stopped(operation);
      job.end(status, error, kind);
    }
  }

  private static String kindOf(Throwable t) {
    return t instanceof OperationException oe ? oe.wireKind() : ErrorKind.INTERNAL.wire();
  }

  private void narrateFailure(Job job, Throwable t, String kind, String message) {
    if (t instanceof RelayedFailureException) {
      return; // the downstream job's own failure narration was already relayed into this job
    }
    if (!(t instanceof OperationException)) {
      // not a failure the operation explained: keep the trace for whoever reads the log
      LOG.error("job {} ({}) failed unexpectedly", job.jobId(), job.operation().name(), t);
    }
    try {
      job.narrate("job_failed").error(kind).human(message).emit();
    } catch (Throwable nested) {
      LOG.error("job {}: could not narrate its failure", job.jobId(), nested);
    }
  }
}
