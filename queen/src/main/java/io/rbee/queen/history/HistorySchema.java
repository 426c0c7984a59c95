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

/**
 * The history database's layout (version {@value #VERSION}, kept in {@code PRAGMA
 * user_version}), its settings, and what a start does to it: create it, refuse one from a newer
 * rbee, and fail the jobs a previous queen left unfinished.
 *
 * <pre>
 * jobs(job_id PK, operation, operation_json, status, created_at ms, finished_at ms, error,
 *      error_kind, last_event_id, bytes)           bytes: the event data stored for the job
 * events(job_id, id, event, data, PK(job_id, id)) WITHOUT ROWID
 * </pre>
 */
final class HistorySchema {
  static final int VERSION = 1;

  /** The error a job left unfinished by a previous queen ends with. */
  static final String RESTARTED =
      "the queen restarted while this job was running";

  private HistorySchema() {}

  /**
   * Applies the connection's settings (WAL, synchronous=NORMAL, a 1 s busy timeout,
   * incremental auto-vacuum for a new file) and creates the tables of a new file. Throws
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
        s.execute("CREATE TABLE IF NOT EXISTS events (job_id TEXT NOT NULL, id INTEGER NOT NULL,"
            + " event TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (job_id, id))"
            + " WITHOUT ROWID");
        s.execute("PRAGMA user_version = " + VERSION);
        s.execute("COMMIT");
      }
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
            PreparedStatement done = c.prepareStatement(
                "INSERT OR REPLACE INTO events (job_id, id, event, data) VALUES (?, ?, ?, ?)")) {
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
            done.setString(3, JobEvent.DONE);
            done.setString(4, data);
            done.executeUpdate();
          }
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // SQLite may have rolled back already; the failure itself is what is reported
        }
        throw e;
      }
    }
    return left.size();
  }

  private static long maxStoredId(Connection c, String jobId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT coalesce(max(id), 0) FROM events WHERE job_id = ?")) {
      p.setString(1, jobId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }
}
