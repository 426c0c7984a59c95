package io.rbee.queen.history;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobStatus;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history database's layout (version {@value #VERSION}, kept in {@code PRAGMA
 * user_version}), its settings, and what a start does to it: create it, refuse one from a newer
 * rbee, and fail the jobs a previous queen left unfinished.
 *
 * <pre>
 * jobs(job_id PK, operation, operation_json, status, created_at ms, finished_at ms, error,
 *      error_kind, last_event_id, bytes)           bytes: the event data stored for the job
 * event_runs(job_id, first_id, last_id, packed)  UNIQUE(job_id, first_id); packed: an
 *      {@link EventRun}, the events one batch of the writer took for the job, in id order
 * </pre>
 *
 * <p>Version 1 stored one row per event ({@code events(job_id, id, event, data)}); a start
 * converts such a file once, in one transaction (see {@link #convertFromVersion1}).
 */
final class HistorySchema {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySchema.class);
  static final int VERSION = 2;

  /** The error a job left unfinished by a previous queen ends with. */
  static final String RESTARTED =
      "the queen restarted while this job was running";

  private HistorySchema() {}

  /**
   * Applies the connection's settings (WAL, synchronous=NORMAL, a 1 s busy timeout,
   * incremental auto-vacuum for a new file) and creates the tables of a new file, or converts
   * one of version 1. Throws
   * {@link SQLException} for a file that is not a database or is locked, and
   * {@link IllegalStateException} for one written by a newer rbee.
   */
  static void prepare(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 1000");
      // only takes effect on a new file, before its first table: set it first
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      int version;
      try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
        version = r.next() ? r.getInt(1) : 0;
      }
      if (version > VERSION) {
        throw new IllegalStateException("it was written by a newer rbee (schema " + version
            + ", this queen reads " + VERSION + ")");
      }
      if (version == 0) {
        s.execute("BEGIN IMMEDIATE");
        s.execute("CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, operation TEXT"
            + " NOT NULL, operation_json TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL,"
            + " finished_at INTEGER, error TEXT, error_kind TEXT, last_event_id INTEGER NOT NULL"
            + " DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0)");
        s.execute("CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at)");
        createEventRuns(s);
        s.execute("PRAGMA user_version = " + VERSION);
        s.execute("COMMIT");
      } else if (version == 1) {
        convertFromVersion1(c);
      }
    }
  }

  // a rowid table: a run of events is kilobytes, too large for a WITHOUT ROWID row to pay off
  private static void createEventRuns(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS event_runs (job_id TEXT NOT NULL, first_id INTEGER"
        + " NOT NULL, last_id INTEGER NOT NULL, packed BLOB NOT NULL)");
    s.execute("CREATE UNIQUE INDEX IF NOT EXISTS event_runs_job ON event_runs (job_id,"
        + " first_id)");
  }

  /**
   * Version 1 → 2: packs each job's event rows into runs of up to {@link EventRun#MAX_EVENTS}
   * and drops the old table, in one transaction (a failure leaves the file as it was).
   */
  static void convertFromVersion1(Connection c) throws SQLException {
    long started = System.nanoTime();
    long rows = 0;
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        createEventRuns(s);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO event_runs (job_id,"
                + " first_id, last_id, packed) VALUES (?, ?, ?, ?)");
            ResultSet r = s.executeQuery(
                "SELECT job_id, id, event, data FROM events ORDER BY job_id, id")) {
          String job = null;
          EventRun run = new EventRun();
          while (r.next()) {
            String id = r.getString(1);
            if (!id.equals(job) || run.full()) {
              insertRun(insert, job, run);
              run = new EventRun();
              job = id;
            }
            run.add(new JobEvent(r.getLong(2), r.getString(3), r.getString(4)));
            rows++;
          }
          insertRun(insert, job, run);
        }
        s.execute("DROP TABLE events");
        s.execute("PRAGMA user_version = " + VERSION);
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollback(s);
        throw e;
      }
    }
    LOG.info("job history: converted {} stored events to schema {} in {} ms", rows, VERSION,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stores {@code run} of {@code jobId} with {@code insert}, unless it is empty. */
  static void insertRun(PreparedStatement insert, String jobId, EventRun run)
      throws SQLException {
    if (run.isEmpty()) {
      return;
    }
    insert.setString(1, jobId);
    insert.setLong(2, run.firstId());
    insert.setLong(3, run.lastId());
    insert.setBytes(4, run.packed());
    insert.executeUpdate();
  }

  private static void rollback(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // SQLite may have rolled back already; the failure itself is what is reported
    }
  }

  /**
   * Fails every stored job still queued or running (its queen died: no process runs it any
   * more) with error_kind {@code queen_restarted}, and appends its {@code done}, so its replay
   * ends like any finished job's. Returns how many jobs it failed. One transaction.
   */
  static int failUnfinished(Connection c, long nowMs) throws SQLException {
    record Left(String jobId, long lastId) {}
    List<Left> left = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE"); // a locked file fails here, after the busy timeout
      try {
        try (ResultSet r = s.executeQuery("SELECT job_id, last_event_id FROM jobs"
            + " WHERE status IN ('queued', 'running')")) {
          while (r.next()) {
            left.add(new Left(r.getString(1), r.getLong(2)));
          }
        }
        try (PreparedStatement job = c.prepareStatement("UPDATE jobs SET status = 'failed',"
            + " finished_at = ?, error = ?, error_kind = ?, last_event_id = ?,"
            + " bytes = bytes + ? WHERE job_id = ?");
            PreparedStatement done = c.prepareStatement("INSERT OR REPLACE INTO event_runs"
                + " (job_id, first_id, last_id, packed) VALUES (?, ?, ?, ?)")) {
          for (Left l : left) {
            // after the newest stored id: events a killed queen never wrote are a gap before it
            long id = Math.max(l.lastId(), maxStoredId(c, l.jobId())) + 1;
            String data = Json.write(new Done(l.jobId(), JobStatus.FAILED, RESTARTED,
                ErrorKind.QUEEN_RESTARTED.wire(), null));
            job.setLong(1, nowMs);
            job.setString(2, RESTARTED);
            job.setString(3, ErrorKind.QUEEN_RESTARTED.wire());
            job.setLong(4, id);
            job.setLong(5, data.length());
            job.setString(6, l.jobId());
            job.executeUpdate();
            done.setString(1, l.jobId());
            done.setLong(2, id);
            done.setLong(3, id);
            done.setBytes(4, EventRun.pack(List.of(new JobEvent(id, JobEvent.DONE, data))));
            done.executeUpdate();
          }
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollback(s);
        throw e;
      }
    }
    return left.size();
  }

  private static long maxStoredId(Connection c, String jobId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT coalesce(max(last_id), 0) FROM event_runs WHERE job_id = ?")) {
      p.setString(1, jobId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }
}
