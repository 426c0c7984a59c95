package io.rbee.queen.history;

import io.rbee.jobs.HistoryStatus;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.server.JobArchive;
import io.rbee.jobs.server.JobFilter;
import io.rbee.narration.JobEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queen's job history in one SQLite file ({@code $RBEE_HOME/queen/history.db}): a
 * {@link JobArchive} whose writes are queued for the {@link HistoryWriter} and whose reads
 * flush that queue first, so a read sees every record handed over before it.
 *
 * <p>{@link #open} never throws and never stops the queen: a file that is not a database,
 * is locked (another queen on the same {@code RBEE_HOME}, a long backup), or a directory that
 * cannot be written gives a history that is off, with an ERROR log line naming the file and
 * what to do, and {@link #status()} saying why. A write that fails later (disk full) turns it
 * off the same way, without failing any job. On open, jobs a previous queen left queued or
 * running are failed ({@code queen_restarted}) and retention runs once.
 */
public final class SqliteHistory implements JobArchive, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteHistory.class);
  /** The file name under the queen's directory. */
  public static final String FILE = "history.db";
  private static final long READ_FLUSH_MILLIS = 2_000;

  private final Path path;
  private final Connection writeDb;
  private final Connection readDb;
  private final FileChannel lockFile;
  private final HistoryWriter writer;
  private volatile HistoryStatus status;

  private SqliteHistory(Path path, HistoryStatus status) {
    this(path, status, null, null, null, null, null);
  }

  private SqliteHistory(Path path, HistoryStatus status, Connection writeDb, Connection readDb,
      FileChannel lockFile, HistoryConfig config, Retention retention) {
    this.path = path;
    this.status = status;
    this.writeDb = writeDb;
    this.readDb = readDb;
    this.lockFile = lockFile;
    this.writer = writeDb == null ? null
        : new HistoryWriter(writeDb, config, retention, this::failed);
  }

  /** The history of the queen whose state is under {@code queenDir}, as {@code config} says. */
  public static SqliteHistory open(Path queenDir, HistoryConfig config) {
    Path file = queenDir.resolve(FILE).toAbsolutePath();
    if (!config.enabled()) {
      LOG.info("job history is off (--no-history or RBEE_HISTORY=off): jobs are kept in"
          + " memory only and are gone after a restart");
      return new SqliteHistory(file, HistoryStatus.off("turned off (--no-history or "
          + HistoryConfig.ENV_HISTORY + "=off)"));
    }
    FileChannel lock = null;
    Connection write = null;
    Connection read = null;
    try {
      Files.createDirectories(queenDir);
      lock = FileChannel.open(queenDir.resolve(FILE + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock held = tryLock(lock);
      if (held == null) {
        throw new Refused("it is in use by another queen on the same RBEE_HOME (the lock "
            + queenDir.resolve(FILE + ".lock") + " is held): stop that queen, or give this one"
            + " its own RBEE_HOME");
      }
      ownerOnly(file); // prompts and answers are in it; SQLite gives -wal and -shm its mode
      write = DriverManager.getConnection("jdbc:sqlite:" + file);
      HistorySchema.prepare(write);
      int failed = HistorySchema.failUnfinished(write, System.currentTimeMillis());
      if (failed > 0) {
        LOG.warn("job history: {} jobs were still queued or running when the previous queen"
            + " stopped; they are now failed (queen_restarted)", failed);
      }
      Retention retention = new Retention(write, config);
      retention.enforce(System.currentTimeMillis());
      read = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (var s = read.createStatement()) {
        s.execute("PRAGMA busy_timeout = 1000");
      }
      SqliteHistory h = new SqliteHistory(file, HistoryStatus.on(file.toString()), write, read,
          lock, config, retention);
      h.writer.start();
      LOG.info("job history in {} ({} bytes of events stored; keeps at most {} jobs, {} days,"
          + " {} bytes)", file, retention.storedBytes(), config.maxJobs(),
          config.maxAge().toDays(), config.maxBytes());
      return h;
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(read);
      closeQuietly(write);
      closeQuietly(lock);
      String reason = "cannot open " + file + ": " + why(e);
      LOG.error("job history is OFF: {}. The queen runs without it: jobs are kept in memory"
          + " only and are gone after a restart. {}", reason, advice(e, file));
      return new SqliteHistory(file, HistoryStatus.off(reason + ". " + advice(e, file)));
    }
  }

  /** Creates {@code file} readable by its owner only, unless it exists (its mode is kept). */
  private static void ownerOnly(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: its defaults
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // created meanwhile: fine
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM already: a second queen in one process (tests)
    }
  }

  /** The database file. */
  public Path path() {
    return path;
  }

  @Override
  public HistoryStatus status() {
    return status;
  }

  @Override
  public void submitted(JobInfo job, String operationJson) {
    if (writer != null && status.enabled()) {
      writer.job(job, operationJson);
    }
  }

  @Override
  public void changed(JobInfo job) {
    if (writer != null && status.enabled()) {
      writer.job(job, null);
    }
  }

  @Override
  public void appended(String jobId, JobEvent event) {
    if (writer != null && status.enabled()) {
      writer.event(jobId, event);
    }
  }

  /** Events not stored because the writer fell behind (see {@link HistoryWriter}). */
  public long droppedEvents() {
    return writer == null ? 0 : writer.dropped();
  }

  /** Transactions written so far. */
  public long batches() {
    return writer == null ? 0 : writer.batches();
  }

  /** Waits until everything handed over so far is written; false when it could not be. */
  public boolean flush() {
    if (writer == null || !status.enabled()) {
      return false;
    }
    try {
      return writer.flush(READ_FLUSH_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public List<JobInfo> list(JobFilter filter) {
    if (!readable()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE 1=1");
    List<Object> params = new ArrayList<>();
    if (!filter.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(marks(filter.statuses().size())).append(')');
      filter.statuses().forEach(s -> params.add(s.wire()));
    }
    if (!filter.operations().isEmpty()) {
      sql.append(" AND operation IN (").append(marks(filter.operations().size())).append(')');
      params.addAll(filter.operations());
    }
    if (filter.since() != null) {
      sql.append(" AND created_at >= ?");
      params.add(filter.since().toEpochMilli());
    }
    sql.append(" ORDER BY created_at DESC, job_id LIMIT ").append(filter.limit());
    return read(sql.toString(), params, JobRows::info);
  }

  @Override
  public Optional<JobInfo> info(String jobId) {
    if (!readable()) {
      return Optional.empty();
    }
    return read("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE job_id = ?", List.of(jobId),
        JobRows::info).stream().findFirst();
  }

  @Override
  public List<JobEvent> events(String jobId, long afterId, int max) {
    if (!readable()) {
      return List.of();
    }
    int limit = Math.max(1, max);
    List<JobEvent> out = new ArrayList<>();
    synchronized (this) {
      try (PreparedStatement p = readDb.prepareStatement("SELECT packed FROM event_runs"
          + " WHERE job_id = ? AND last_id > ? ORDER BY first_id")) {
        p.setString(1, jobId);
        p.setLong(2, afterId);
        try (ResultSet r = p.executeQuery()) {
          while (out.size() < limit && r.next()) {
            EventRun.unpack(r.getBytes(1), afterId, limit, out);
          }
        }
      } catch (SQLException | IllegalStateException e) {
        LOG.warn("job history: a read of {} failed: {}", path, why(e));
        return List.of();
      }
    }
    return out;
  }

  /**
   * Caps the file at its current size plus {@code pages} pages, as a full disk would (for
   * tests: SQLite then fails writes with SQLITE_FULL). Call between flushes.
   */
  void capSizeForTests(int pages) throws SQLException {
    try (var s = writeDb.createStatement()) {
      long now;
      try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
        now = r.next() ? r.getLong(1) : 0;
      }
      s.execute("PRAGMA max_page_count = " + (now + pages));
    }
  }

  /** Writes what is queued and closes the file (the queen's clean stop). Idempotent. */
  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      closeQuietly(readDb);
    }
    closeQuietly(writeDb);
    closeQuietly(lockFile);
    if (writer != null && status.enabled()) {
      status = HistoryStatus.off("the queen is stopping");
    }
  }

  private boolean readable() {
    if (!status.enabled()) {
      return false;
    }
    flush();
    return true;
  }

  private interface RowReader<T> {
    T read(ResultSet r) throws SQLException;
  }

  private synchronized <T> List<T> read(String sql, List<Object> params, RowReader<T> rows) {
    try (PreparedStatement p = readDb.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        p.setObject(i + 1, params.get(i));
      }
      List<T> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(rows.read(r));
        }
      }
      return out;
    } catch (SQLException e) {
      LOG.warn("job history: a read of {} failed: {}", path, why(e));
      return List.of();
    }
  }

  /** A write failed (disk full, the file went bad): history off, loudly; jobs go on. */
  private void failed(Exception e) {
    String reason = "writing " + path + " failed: " + why(e);
    status = HistoryStatus.off(reason + ". " + advice(e, path));
    LOG.error("job history is now OFF: {}. Jobs go on, kept in memory only. {}", reason,
        advice(e, path));
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static String why(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  private static String advice(Exception e, Path file) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (e instanceof Refused) {
      return "";
    }
    if (m.contains("not a database") || m.contains("malformed") || m.contains("corrupt")
        || m.contains("newer rbee")) {
      return "Move " + file + " (and its -wal and -shm files) away and restart the queen to"
          + " start a new history";
    }
    if (m.contains("locked") || m.contains("busy")) {
      return "Another process holds " + file + " locked (another queen, or a backup): stop it"
          + " and restart the queen";
    }
    if (m.contains("full")) {
      return "Free disk space and restart the queen";
    }
    return "Check that " + file.getParent() + " is writable, then restart the queen";
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing what failed to open: the failure is what is reported
    }
  }

  /** A refusal to open whose message says all there is to say. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /** Reading {@code jobs} rows into the API's {@link JobInfo}. */
  private static final class JobRows {
    static final String COLUMNS = "job_id, operation, status, created_at, finished_at, error,"
        + " error_kind, last_event_id";

    static JobInfo info(ResultSet r) throws SQLException {
      long finished = r.getLong(5);
      String finishedAt = r.wasNull() ? null : Instant.ofEpochMilli(finished).toString();
      return new JobInfo(r.getString(1), r.getString(2), JobStatus.fromWire(r.getString(3)),
          Instant.ofEpochMilli(r.getLong(4)).toString(), finishedAt, r.getString(6),
          r.getString(7), r.getLong(8));
    }
  }
}
