package io.rbee.queen.relay;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.RelayedFailureException;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.util.Map;

/**
 * Runs an operation as a job on another daemon (a hive, a worker) and relays that job's events,
 * in order, into a local job: narration keeps its actor and fields (re-homed to the local job
 * id, with {@code hive_id} filled in), results and tokens pass through unchanged.
 *
 * <p>Cancelling the local job cancels the remote one. The remote job's final status becomes
 * the outcome of {@link #run}: it returns the remote {@link Done} when the remote job
 * succeeded, throws {@link RelayedFailureException} (with the remote error kind and message)
 * when it failed, and {@link JobCancelledException} when it was cancelled.
 */
public final class Relay {
  private final JobClient client;
  private final String hiveId;

  /** A relay from the daemon {@code client} talks to; {@code hiveId} fills in narration. */
  public Relay(JobClient client, String hiveId) {
    this.client = client;
    this.hiveId = hiveId;
  }

  /**
   * Submits {@code op} remotely and relays its events into {@code job} until the remote
   * {@code done}. Connection problems surface as {@link JobClientException} (submit refused,
   * daemon unreachable, stream broken before {@code done}).
   */
  public Done run(Operation op, JobContext job) throws JobClientException {
    Submitted remote = client.submit(op);
    job.onCancel(() -> cancelQuietly(remote.jobId()));
    String[] lastErrorKind = {null};
    Done done =
        client.follow(remote.jobId(), 0, event -> {
          if (JobEvent.DONE.equals(event.event())) {
            return;
          }
          relay(event, job, lastErrorKind);
        });
    if (done.status() == JobStatus.SUCCEEDED) {
      return done;
    }
    if (done.status() == JobStatus.CANCELLED || job.cancelled()) {
      throw new JobCancelledException();
    }
    // done carries the kind; older daemons only said it in their last error narration
    String kind = done.errorKind() != null ? done.errorKind() : lastErrorKind[0];
    throw new RelayedFailureException(kind, done.error() == null ? "remote job failed" : done.error());
  }

  private void relay(SseEvent event, JobContext job, String[] lastErrorKind) {
    if (JobEvent.NARRATION.equals(event.event())) {
      Narration n = Json.read(event.data(), Narration.class).withDefaultHiveId(hiveId);
      if (n.errorKind() != null) {
        lastErrorKind[0] = n.errorKind();
      }
      job.relay(n); // parsed once here, written once by the job
    } else {
      job.relay(event.event(), event.data());
    }
  }

  private void cancelQuietly(String remoteJobId) {
    try {
      client.cancel(remoteJobId);
    } catch (JobClientException e) {
      // the remote is gone or the job already ended: the stream's end tells the outcome
    }
  }

  /** The stats of a remote {@code done}, or an empty map. */
  public static Map<String, Object> statsOf(Done done) {
    return done.stats() == null ? Map.of() : done.stats();
  }
}
