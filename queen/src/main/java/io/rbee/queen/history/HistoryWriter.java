package io.rbee.queen.history;

import io.rbee.jobs.JobInfo;
import io.rbee.narration.JobEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the history: it drains a queue of records every
 * {@value #BATCH_MILLIS} ms (or at once when a reader asks for a flush) and writes each drain
 * in one transaction, each job's events of the drain packed into few rows ({@link EventRun}),
 * then runs the {@link Retention} when it is due.
 *
 * <p>{@link #job} and {@link #event} are called on job threads (events under their channel's
 * lock) and only enqueue: a lock-free queue, no wake-up. Job rows are always queued (there are
 * as many as jobs, small); events are dropped once {@link HistoryConfig#queueBytes()} wait,
 * and counted ({@link #dropped()}, {@code rbee_history_events_dropped_total}, a WARN at most
 * every 10 s): their ids are then missing
 * from the stored history, which a replay shows as a gap. A write that fails stops the writer
 * and hands the failure to {@code onFailure} (history off); nothing blocks on it.
 */
final class HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  static final long BATCH_MILLIS = 100;
  private static final int MAX_BATCH = 20_000;

  private sealed interface Rec {}

  private record Row(JobInfo info, String operationJson) implements Rec {}

  private record Ev(String jobId, JobEvent event, long cost) implements Rec {}

  private record Flush(CountDownLatch written) implements Rec {}

  private final Connection db;
  private final HistoryConfig config;
  private final Retention retention;
  private final Consumer<Exception> onFailure;
  private final ConcurrentLinkedQueue<Rec> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  // registered once a history is on: the scrape shows 0 until something is dropped
  private final io.prometheus.metrics.core.metrics.Counter droppedMetric = HistoryMetrics.DROPPED;
  private final AtomicLong batches = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean failed;
  private long lastDropWarn;
  private long dropsWarned;
  private long nextCheck;
  private int jobsSinceCheck;

  HistoryWriter(Connection db, HistoryConfig config, Retention retention,
      Consumer<Exception> onFailure) {
    this.db = db;
    this.config = config;
    this.retention = retention;
    this.onFailure = onFailure;
    this.nextCheck = System.currentTimeMillis() + config.checkEvery().toMillis();
    this.thread = Thread.ofPlatform().name("queen-history-writer").daemon().unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** A job row (new, or a change of status); never dropped. */
  void job(JobInfo info, String operationJson) {
    if (!failed) {
      queue.add(new Row(info, operationJson));
    }
  }

  /** An event; dropped (and counted) when the queue holds its bound already. */
  void event(String jobId, JobEvent e) {
    if (failed) {
      return;
    }
    long cost = e.data().length() + e.event().length() + 48L;
    if (queuedBytes.addAndGet(cost) > config.queueBytes()) {
      queuedBytes.addAndGet(-cost);
      dropped.incrementAndGet();
      droppedMetric.inc();
      return;
    }
    queue.add(new Ev(jobId, e, cost));
  }

  /**
   * Waits until everything queued before this call is written (or the writer stopped); false
   * when that took longer than {@code millis}.
   */
  boolean flush(long millis) throws InterruptedException {
    if (failed || !thread.isAlive()) {
      return false;
    }
    CountDownLatch written = new CountDownLatch(1);
    queue.add(new Flush(written));
    LockSupport.unpark(thread);
    return written.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Writes what is queued, stops the thread; waits at most {@code millis} for it. */
  void close(long millis) throws InterruptedException {
    stopping = true;
    LockSupport.unpark(thread);
    thread.join(millis);
  }

  long dropped() {
    return dropped.get();
  }

  long batches() {
    return batches.get();
  }

  private void run() {
    List<Rec> batch = new ArrayList<>();
    while (true) {
      boolean last = stopping;
      boolean full = drain(batch);
      try {
        if (!batch.isEmpty()) {
          write(batch);
        }
        release(batch);
        batch.clear();
        retentionIfDue();
      } catch (SQLException | RuntimeException e) {
        failed = true;
        release(batch);
        queue.clear();
        onFailure.accept(e);
        return;
      }
      warnDrops();
      if (last && queue.isEmpty()) {
        return;
      }
      if (!stopping && !full) { // a flush or close unparks at once
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS));
      }
    }
  }

  /** Moves queued records into {@code batch}; true when it stopped at {@link #MAX_BATCH}. */
  private boolean drain(List<Rec> batch) {
    long drained = 0;
    for (Rec r; batch.size() < MAX_BATCH && (r = queue.poll()) != null; ) {
      batch.add(r);
      if (r instanceof Ev ev) {
        drained += ev.cost();
      }
    }
    queuedBytes.addAndGet(-drained); // once per drain: the jobs' threads contend on it less
    return batch.size() >= MAX_BATCH;
  }

  private static void release(List<Rec> batch) {
    for (Rec r : batch) {
      if (r instanceof Flush f) {
        f.written().countDown();
      }
    }
  }

  private void write(List<Rec> batch) throws SQLException {
    db.setAutoCommit(false);
    try (PreparedStatement row = db.prepareStatement("INSERT INTO jobs (job_id, operation,"
        + " operation_json, status, created_at, finished_at, error, error_kind, last_event_id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET"
        + " status = excluded.status, finished_at = excluded.finished_at,"
        + " error = excluded.error, error_kind = excluded.error_kind,"
        + " last_event_id = max(last_event_id, excluded.last_event_id)");
        PreparedStatement runInsert = db.prepareStatement("INSERT OR IGNORE INTO event_runs"
            + " (job_id, first_id, last_id, packed) VALUES (?, ?, ?, ?)");
        PreparedStatement sums = db.prepareStatement("UPDATE jobs SET bytes = bytes + ?,"
            + " last_event_id = max(last_event_id, ?) WHERE job_id = ?")) {
      Map<String, long[]> perJob = new HashMap<>(); // job → {bytes, newest id}
      Map<String, EventRun> runs = new LinkedHashMap<>(); // job → its events in this batch
      for (Rec r : batch) {
        if (r instanceof Row(JobInfo info, String operationJson)) {
          if (operationJson != null) {
            jobsSinceCheck++;
          }
          row.setString(1, info.jobId());
          row.setString(2, info.operation());
          row.setString(3, operationJson);
          row.setString(4, info.status().wire());
          row.setLong(5, millis(info.createdAt()));
          setMillis(row, 6, info.finishedAt());
          row.setString(7, info.error());
          row.setString(8, info.errorKind());
          row.setLong(9, info.lastEventId());
          row.executeUpdate();
        } else if (r instanceof Ev(String jobId, JobEvent e, long cost)) {
          EventRun run = runs.get(jobId);
          if (run == null || run.full() || !run.accepts(e)) {
            if (run != null) {
              HistorySchema.insertRun(runInsert, jobId, run);
            }
            run = new EventRun();
            runs.put(jobId, run);
          }
          run.add(e);
          long[] sum = perJob.computeIfAbsent(jobId, k -> new long[2]);
          sum[0] += e.data().length();
          sum[1] = Math.max(sum[1], e.id());
        }
      }
      for (Map.Entry<String, EventRun> run : runs.entrySet()) {
        HistorySchema.insertRun(runInsert, run.getKey(), run.getValue());
      }
      for (Map.Entry<String, long[]> s : perJob.entrySet()) {
        sums.setLong(1, s.getValue()[0]);
        sums.setLong(2, s.getValue()[1]);
        sums.setString(3, s.getKey());
        sums.addBatch();
        retention.stored(s.getValue()[0]);
      }
      sums.executeBatch();
      db.commit();
      batches.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // the failure itself is what is reported
      }
      throw e;
    } finally {
      autoCommit(db);
    }
  }

  private void retentionIfDue() throws SQLException {
    long now = System.currentTimeMillis();
    if (now >= nextCheck || jobsSinceCheck >= Math.max(1, config.maxJobs() / 10)
        || retention.overSize()) {
      retention.enforce(now);
      nextCheck = now + config.checkEvery().toMillis();
      jobsSinceCheck = 0;
    }
  }

  private void warnDrops() {
    long n = dropped.get();
    long now = System.currentTimeMillis();
    if (n > dropsWarned && now - lastDropWarn >= 10_000) {
      lastDropWarn = now;
      dropsWarned = n;
      LOG.warn("job history: {} events dropped so far because the writer fell behind (more"
          + " than {} bytes waiting); their replays show a gap there", n, config.queueBytes());
    }
  }

  static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static void setMillis(PreparedStatement p, int i, String iso) throws SQLException {
    if (iso == null) {
      p.setNull(i, java.sql.Types.INTEGER);
    } else {
      p.setLong(i, millis(iso));
    }
  }

  /**
   * Back to auto-commit. After a failed statement SQLite may have rolled back already and the
   * driver's implicit commit then fails: that second error must not hide the first.
   */
  static void autoCommit(Connection db) {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the transaction's own failure is what is reported
    }
  }
}
