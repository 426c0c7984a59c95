package io.rbee.queen.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.HistoryStatus;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.server.JobFilter;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite job history on a temp dir: store, replay, restart, retention, failures. */
class SqliteHistoryTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private SqliteHistory open(HistoryConfig config) {
    SqliteHistory h = SqliteHistory.open(dir, config);
    open.add(h);
    return h;
  }

  private static JobInfo info(String id, JobStatus status, Instant created, long lastId) {
    return new JobInfo(id, "Status", status, created.toString(),
        status.isFinal() ? created.plusSeconds(1).toString() : null,
        status == JobStatus.FAILED ? "boom" : null,
        status == JobStatus.FAILED ? "internal" : null, lastId);
  }

  /** A finished job of {@code events} narrations (each {@code size} chars), then done. */
  private static void finishedJob(SqliteHistory h, String id, Instant created, int events,
      int size) {
    h.submitted(info(id, JobStatus.QUEUED, created, 0), "{\"Status\":{}}");
    h.changed(info(id, JobStatus.RUNNING, created, 0));
    for (int i = 1; i <= events; i++) {
      h.appended(id, new JobEvent(i, "narration", "\"" + "x".repeat(size) + "\""));
    }
    String done = Json.write(new Done(id, JobStatus.SUCCEEDED, null, null, null));
    h.appended(id, new JobEvent(events + 1, "done", done));
    h.changed(info(id, JobStatus.SUCCEEDED, created, events + 1));
  }

  @Test
  void storesJobsAndEventsAndReadsThemBackAfterReopen() throws Exception {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    assertThat(h.status()).isEqualTo(HistoryStatus.on(dir.resolve("history.db").toString()));
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    finishedJob(h, "job-a", t, 3, 10);
    finishedJob(h, "job-b", t.plusSeconds(5), 1, 10);

    assertThat(h.list(JobFilter.ALL)).extracting(JobInfo::jobId).containsExactly("job-b", "job-a");
    for (String name : List.of("history.db", "history.db-wal")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name + ": prompts and answers are in it").isEqualTo("rw-------");
    }
    h.close();

    SqliteHistory again = open(HistoryConfig.DEFAULTS.withMaxAge(Duration.ofDays(100_000)));
    JobInfo a = again.info("job-a").orElseThrow();
    assertThat(a.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(a.lastEventId()).isEqualTo(4);
    assertThat(a.createdAt()).isEqualTo(t.toString());
    assertThat(again.events("job-a", 0, 100)).extracting(JobEvent::id).containsExactly(1L, 2L,
        3L, 4L);
    assertThat(again.events("job-a", 2, 1)).extracting(JobEvent::id).containsExactly(3L);
    assertThat(again.list(new JobFilter(Set.of(JobStatus.SUCCEEDED), Set.of("Status"),
        t.plusSeconds(1), 10))).extracting(JobInfo::jobId).containsExactly("job-b");
  }

  @Test
  void writesManyEventsInFewTransactionsAndRows() throws Exception {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    Instant t = Instant.now();
    finishedJob(h, "job-big", t, 10_000, 20);
    assertThat(h.flush()).isTrue();
    assertThat(h.events("job-big", 0, 20_000)).hasSize(10_001);
    assertThat(h.events("job-big", 1_999, 3)).extracting(JobEvent::id)
        .containsExactly(2_000L, 2_001L, 2_002L);
    assertThat(h.batches()).isLessThan(20);
    assertThat(h.droppedEvents()).isZero();
    // a batch's events of a job are one row (or a few, at EventRun's bounds), not one each
    assertThat(count("SELECT count(*) FROM event_runs WHERE job_id = 'job-big'"))
        .isBetween(10_001L / EventRun.MAX_EVENTS, 40L);
  }

  @Test
  void aFileOfSchemaOneIsConvertedAtStartAndReplaysAsBefore() throws Exception {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.db"));
        Statement s = c.createStatement()) {
      // version 1's layout, as a queen before this one wrote it
      s.execute("CREATE TABLE jobs (job_id TEXT PRIMARY KEY, operation TEXT NOT NULL,"
          + " operation_json TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL,"
          + " finished_at INTEGER, error TEXT, error_kind TEXT, last_event_id INTEGER NOT NULL"
          + " DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0)");
      s.execute("CREATE INDEX jobs_created ON jobs (created_at)");
      s.execute("CREATE TABLE events (job_id TEXT NOT NULL, id INTEGER NOT NULL, event TEXT"
          + " NOT NULL, data TEXT NOT NULL, PRIMARY KEY (job_id, id)) WITHOUT ROWID");
      s.execute("INSERT INTO jobs VALUES ('job-a', 'Status', '{}', 'succeeded', "
          + t.toEpochMilli() + ", " + (t.toEpochMilli() + 1000) + ", NULL, NULL, 3, 30)");
      s.execute("INSERT INTO events VALUES ('job-a', 1, 'narration', '{\"n\":1}'),"
          + " ('job-a', 2, 'narration', '{\"n\":2}'), ('job-a', 3, 'done', '{}')");
      s.execute("INSERT INTO jobs VALUES ('job-long', 'Status', '{}', 'succeeded', "
          + t.toEpochMilli() + ", " + (t.toEpochMilli() + 1000) + ", NULL, NULL, 5000, 0)");
      s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
          + " INSERT INTO events SELECT 'job-long', i, 'token', '{\"i\":' || i || '}' FROM n"
          + " WHERE i != 777"); // an event the writer dropped: a gap in the ids
      s.execute("PRAGMA user_version = 1");
    }

    SqliteHistory h = open(HistoryConfig.DEFAULTS.withMaxAge(Duration.ofDays(100_000)));
    assertThat(h.status().enabled()).as(h.status().reason()).isTrue();
    assertThat(h.events("job-a", 0, 10)).containsExactly(
        new JobEvent(1, "narration", "{\"n\":1}"), new JobEvent(2, "narration", "{\"n\":2}"),
        new JobEvent(3, "done", "{}"));
    List<JobEvent> all = h.events("job-long", 0, 10_000);
    assertThat(all).hasSize(4_999);
    assertThat(all).extracting(JobEvent::id).doesNotContain(777L).isSorted();
    assertThat(h.events("job-long", 775, 3)).extracting(JobEvent::id)
        .containsExactly(776L, 778L, 779L);
    assertThat(h.events("job-long", 3_999, 1)).containsExactly(
        new JobEvent(4_000, "token", "{\"i\":4000}"));
    assertThat(h.info("job-a").orElseThrow().lastEventId()).isEqualTo(3);
    assertThat(count("PRAGMA user_version")).isEqualTo(HistorySchema.VERSION);
    assertThat(count("SELECT count(*) FROM sqlite_master WHERE name = 'events'")).isZero();
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.db"));
        Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : -1;
    }
  }

  @Test
  void jobsLeftRunningAreFailedQueenRestartedWithTheirDoneOnOpen() {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    Instant t = Instant.now();
    h.submitted(info("job-run", JobStatus.QUEUED, t, 0), "{\"Status\":{}}");
    h.changed(info("job-run", JobStatus.RUNNING, t, 0));
    h.appended("job-run", new JobEvent(1, "narration", "{}"));
    h.appended("job-run", new JobEvent(2, "narration", "{}"));
    h.submitted(info("job-queued", JobStatus.QUEUED, t, 0), "{\"Status\":{}}");
    h.close(); // as a kill leaves it: rows still running

    SqliteHistory again = open(HistoryConfig.DEFAULTS);
    for (String id : List.of("job-run", "job-queued")) {
      JobInfo i = again.info(id).orElseThrow();
      assertThat(i.status()).isEqualTo(JobStatus.FAILED);
      assertThat(i.errorKind()).isEqualTo("queen_restarted");
      assertThat(i.error()).isEqualTo("the queen restarted while this job was running");
      assertThat(i.finishedAt()).isNotNull();
    }
    List<JobEvent> events = again.events("job-run", 0, 10);
    assertThat(events).extracting(JobEvent::id).containsExactly(1L, 2L, 3L);
    Done done = Json.read(events.get(2).data(), Done.class);
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.errorKind()).isEqualTo("queen_restarted");
    assertThat(again.info("job-run").orElseThrow().lastEventId()).isEqualTo(3);
    assertThat(again.events("job-queued", 0, 10)).extracting(JobEvent::event)
        .containsExactly("done");
  }

  @Test
  void retentionKeepsAtMostMaxJobsOldestFinishedFirst() {
    SqliteHistory h = open(HistoryConfig.DEFAULTS.withMaxJobs(3));
    Instant t = Instant.now();
    h.submitted(info("job-0-running", JobStatus.QUEUED, t.minusSeconds(100), 0), "{}");
    for (int i = 1; i <= 6; i++) {
      finishedJob(h, "job-" + i, t.plusSeconds(i), 1, 10);
    }
    h.flush();
    h.flush(); // retention runs after the batch that brought the jobs
    assertThat(h.list(JobFilter.ALL)).extracting(JobInfo::jobId)
        .containsExactly("job-6", "job-5", "job-0-running");
    assertThat(h.events("job-1", 0, 10)).isEmpty();
  }

  @Test
  void retentionRemovesJobsOlderThanMaxAgeAtStart() {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    Instant now = Instant.now();
    finishedJob(h, "job-old", now.minus(Duration.ofDays(3)), 1, 10);
    finishedJob(h, "job-new", now.minusSeconds(60), 1, 10);
    h.close();

    SqliteHistory again = open(HistoryConfig.DEFAULTS.withMaxAge(Duration.ofDays(1)));
    assertThat(again.list(JobFilter.ALL)).extracting(JobInfo::jobId).containsExactly("job-new");
  }

  @Test
  void retentionKeepsEventDataUnderMaxBytesAndTheFileShrinks() throws Exception {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    Instant t = Instant.now();
    for (int i = 1; i <= 5; i++) {
      finishedJob(h, "job-" + i, t.plusSeconds(i), 100, 1000); // ~100 KB each
    }
    h.flush();
    h.close();
    long before = Files.size(dir.resolve("history.db"));

    SqliteHistory again = open(HistoryConfig.DEFAULTS.withMaxBytes(250_000));
    assertThat(again.list(JobFilter.ALL)).extracting(JobInfo::jobId)
        .containsExactly("job-5", "job-4");
    again.close();
    checkpoint();
    assertThat(Files.size(dir.resolve("history.db"))).isLessThan(before);
  }

  private void checkpoint() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.db"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  @Test
  void aCorruptFileTurnsHistoryOffWithAReasonAndTheAdvice() throws Exception {
    Files.write(dir.resolve("history.db"), "this is no database, just some garbage bytes"
        .repeat(200).getBytes());
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    assertThat(h.status().enabled()).isFalse();
    assertThat(h.status().reason()).contains(dir.resolve("history.db").toString())
        .contains("not a database").contains("Move");
    h.submitted(info("job-x", JobStatus.QUEUED, Instant.now(), 0), "{}"); // ignored, no throw
    assertThat(h.list(JobFilter.ALL)).isEmpty();
  }

  @Test
  void aLockedFileTurnsHistoryOffWithAReason() throws Exception {
    open(HistoryConfig.DEFAULTS).close(); // a database with the schema
    try (Connection other = DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve("history.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      SqliteHistory h = open(HistoryConfig.DEFAULTS);
      assertThat(h.status().enabled()).isFalse();
      assertThat(h.status().reason()).contains("locked").contains("stop it");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void aSecondQueenOnTheSameHomeRunsWithHistoryOff() {
    SqliteHistory first = open(HistoryConfig.DEFAULTS);
    SqliteHistory second = open(HistoryConfig.DEFAULTS);
    assertThat(first.status().enabled()).isTrue();
    assertThat(second.status().enabled()).isFalse();
    assertThat(second.status().reason()).contains("another queen");
  }

  @Test
  void turnedOffByConfigSaysSo() {
    SqliteHistory h = open(HistoryConfig.DEFAULTS.withEnabled(false));
    assertThat(h.status().reason()).contains("--no-history");
    assertThat(Files.exists(dir.resolve("history.db"))).isFalse();
  }

  @Test
  void eventsPastTheQueueBoundAreDroppedAndLeaveAGapInTheStoredIds() {
    SqliteHistory h = open(HistoryConfig.DEFAULTS.withQueueBytes(2_000));
    Instant t = Instant.now();
    finishedJob(h, "job-flood", t, 200, 100); // ~30 KB at once: far past 2,000 bytes
    assertThat(h.flush()).isTrue();
    assertThat(h.droppedEvents()).isPositive();
    List<JobEvent> stored = h.events("job-flood", 0, 1000);
    assertThat(stored.size()).isLessThan(201);
    JobInfo row = h.info("job-flood").orElseThrow();
    assertThat(row.status()).isEqualTo(JobStatus.SUCCEEDED); // rows are never dropped
    assertThat(row.lastEventId()).isEqualTo(201);
  }

  @Test
  void aWriteThatFailsLaterTurnsHistoryOffLoudlyWithoutThrowingToTheJob() throws Exception {
    SqliteHistory h = open(HistoryConfig.DEFAULTS);
    Instant t = Instant.now();
    finishedJob(h, "job-before", t, 1, 10);
    assertThat(h.flush()).isTrue();
    h.capSizeForTests(2); // the disk is full from here on

    finishedJob(h, "job-big", t.plusSeconds(1), 200, 1000); // far more than 2 pages
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !h.status().enabled());
    assertThat(h.status().reason()).contains("writing").contains("history.db")
        .containsIgnoringCase("full");
    finishedJob(h, "job-after", t.plusSeconds(2), 1, 10); // ignored, never throws
    assertThat(h.list(JobFilter.ALL)).isEmpty(); // off: nothing is answered from it
  }
}
