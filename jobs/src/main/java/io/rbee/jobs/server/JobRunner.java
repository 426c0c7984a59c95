package io.rbee.jobs.server;

import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Narrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job's operation on a pool thread and ends the job with exactly one {@code done},
 * whatever the operation does: returns, throws, throws an {@link Error}, or ignores a cancel.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final OperationHandler handler;
  private final Narrator narrator;

  JobRunner(OperationHandler handler, Narrator narrator) {
    this.handler = handler;
    this.narrator = narrator;
  }

  void run(Job job) {
    if (!job.start()) {
      return; // cancelled while queued: already ended
    }
    JobStatus status = JobStatus.SUCCEEDED;
    String error = null;
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
        narrateFailure(job, t, error);
      }
    } finally {
      job.detach();
      job.end(status, error);
    }
  }

  private void narrateFailure(Job job, Throwable t, String message) {
    String kind = "internal";
    if (t instanceof OperationException oe && oe.kind() != null && !oe.kind().isBlank()) {
      kind = oe.kind();
    } else {
      // not a failure the operation explained: keep the trace for whoever reads the log
      LOG.error("job {} ({}) failed unexpectedly", job.jobId(), job.operation().name(), t);
    }
    try {
      narrator.action("job_failed").jobId(job.jobId()).error(kind).human(message).emit();
    } catch (Throwable nested) {
      LOG.error("job {}: could not narrate its failure", job.jobId(), nested);
    }
  }
}
