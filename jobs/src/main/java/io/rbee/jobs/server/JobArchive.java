package io.rbee.jobs.server;

import io.rbee.jobs.HistoryStatus;
import io.rbee.jobs.JobInfo;
import io.rbee.narration.JobEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link JobServer} keeps its jobs beyond its memory (the queen's SQLite history);
 * {@link #NONE} for a daemon that keeps jobs in memory only (hives, workers).
 *
 * <p>Writes: {@link #submitted}, {@link #changed} and {@link #appended} are called on the
 * job's threads, {@code appended} while the job's channel lock is held, in event id order.
 * They must only hand the record on (to a queue) and return: they never block, never throw,
 * and never fail a job. An archive that cannot keep up may drop events (never job rows); what
 * it dropped is then missing from its stored ids, and a replay announces it with a
 * {@code gap}.
 *
 * <p>Reads ({@link #list}, {@link #info}, {@link #events}) see every record handed on before
 * the read began, and may block briefly (a flush, a disk read); they are called on request
 * threads only, never under a job's lock.
 */
public interface JobArchive {
  /** The archive of a daemon that keeps jobs in memory only. */
  JobArchive NONE = new JobArchive() {
    @Override
    public HistoryStatus status() {
      return HistoryStatus.MEMORY_ONLY;
    }
  };

  /** Whether this archive keeps jobs now, where, or why not. */
  HistoryStatus status();

  /** True when events should be tapped for this archive at all (false: skip the tap). */
  default boolean enabled() {
    return status().enabled();
  }

  /** A new job, queued; {@code operationJson} is its operation as submitted (redacted). */
  default void submitted(JobInfo job, String operationJson) {}

  /** A job's status changed (running, or a final one with its error and last event id). */
  default void changed(JobInfo job) {}

  /** An event was appended to a job's stream (under the channel lock: enqueue only). */
  default void appended(String jobId, JobEvent event) {}

  /** The stored jobs that match {@code filter}, newest first, at most its limit. */
  default List<JobInfo> list(JobFilter filter) {
    return List.of();
  }

  /** The stored state of {@code jobId}; empty when it is not stored. */
  default Optional<JobInfo> info(String jobId) {
    return Optional.empty();
  }

  /**
   * Up to {@code max} stored events of {@code jobId} after id {@code afterId}, in id order.
   * Ids missing between them (dropped under load) are missing here too.
   */
  default List<JobEvent> events(String jobId, long afterId, int max) {
    return List.of();
  }
}
