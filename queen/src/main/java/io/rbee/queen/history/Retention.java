package io.rbee.queen.history;

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
 * Keeps the history within its {@link HistoryConfig} bounds: removes finished jobs (row and
 * events) finished longer than {@code maxAge} ago, then the oldest finished jobs past
 * {@code maxJobs}, then the oldest finished jobs while the stored event data exceeds
 * {@code maxBytes}; a queued or running job is never removed. Freed pages go back to the file
 * system ({@code PRAGMA incremental_vacuum}). Runs on the writer's thread only; the size is a
 * running sum of the event data stored, read once at start.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final String FINISHED = "status IN ('succeeded', 'failed', 'cancelled')";

  private final Connection db;
  private final HistoryConfig config;
  private long storedBytes;

  Retention(Connection db, HistoryConfig config) throws SQLException {
    this.db = db;
    this.config = config;
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT coalesce(sum(bytes), 0) FROM jobs")) {
      storedBytes = r.next() ? r.getLong(1) : 0;
    }
  }

  /** Event data was stored: {@code bytes} more count against {@code maxBytes}. */
  void stored(long bytes) {
    storedBytes += bytes;
  }

  boolean overSize() {
    return storedBytes > config.maxBytes();
  }

  long storedBytes() {
    return storedBytes;
  }

  /** Removes what is past the bounds now; returns how many jobs it removed. */
  int enforce(long nowMs) throws SQLException {
    List<Victim> victims = new ArrayList<>();
    long cutoff = nowMs - config.maxAge().toMillis();
    victims.addAll(select("SELECT job_id, bytes FROM jobs WHERE " + FINISHED
        + " AND coalesce(finished_at, created_at) < ?", cutoff));
    long total = count() - victims.size();
    if (total > config.maxJobs()) {
      victims.addAll(select("SELECT job_id, bytes FROM jobs WHERE " + FINISHED
          + " AND coalesce(finished_at, created_at) >= ? ORDER BY created_at, job_id"
          + " LIMIT " + (total - config.maxJobs()), cutoff));
    }
    long bytes = storedBytes - victims.stream().mapToLong(Victim::bytes).sum();
    if (bytes > config.maxBytes()) {
      for (Victim v : select("SELECT job_id, bytes FROM jobs WHERE " + FINISHED
          + " ORDER BY created_at, job_id", Long.MIN_VALUE)) {
        if (bytes <= config.maxBytes()) {
          break;
        }
        if (!victims.contains(v)) {
          victims.add(v);
          bytes -= v.bytes();
        }
      }
    }
    if (victims.isEmpty()) {
      return 0;
    }
    remove(victims);
    LOG.info("job history: removed {} old jobs (bounds: {} jobs, {} days, {} bytes of events)",
        victims.size(), config.maxJobs(), config.maxAge().toDays(), config.maxBytes());
    return victims.size();
  }

  private record Victim(String jobId, long bytes) {}

  private List<Victim> select(String sql, long param) throws SQLException {
    List<Victim> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(sql)) {
      if (sql.contains("?")) {
        p.setLong(1, param);
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Victim(r.getString(1), r.getLong(2)));
        }
      }
    }
    return out;
  }

  private long count() throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM jobs")) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private void remove(List<Victim> victims) throws SQLException {
    db.setAutoCommit(false);
    try (PreparedStatement events = db.prepareStatement(
            "DELETE FROM event_runs WHERE job_id = ?");
        PreparedStatement jobs = db.prepareStatement("DELETE FROM jobs WHERE job_id = ?")) {
      for (Victim v : victims) {
        events.setString(1, v.jobId());
        events.addBatch();
        jobs.setString(1, v.jobId());
        jobs.addBatch();
      }
      events.executeBatch();
      jobs.executeBatch();
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      autoCommit(db);
    }
    for (Victim v : victims) {
      storedBytes -= v.bytes();
    }
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA incremental_vacuum"); // the freed pages go back: the file shrinks
    }
  }

  private static void autoCommit(Connection db) {
    HistoryWriter.autoCommit(db); // see there
  }
}
