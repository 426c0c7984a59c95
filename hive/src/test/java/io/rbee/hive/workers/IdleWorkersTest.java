package io.rbee.hive.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.hive.JobEvents;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.JobChannel;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.testkit.jobs.TestJob;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-alive and the limit on loaded workers, against stand-in workers that report their
 * idleness as real ones do ({@link StandInWorkers.Idling}; a test makes one busy with a file).
 * The hive samples its workers here by calling {@link WorkerOperations#workersWithLoad()}, as
 * its heartbeat loop does every 250 ms.
 */
class IdleWorkersTest {
  private static final DeviceInfo CPU = new DeviceInfo("cpu", "cpu", "test CPU", null, null, 2);
  /** Beyond {@link KeepAliveReaper#FRESH} and many samples: what "never unloaded" waits. */
  private static final Duration WELL_AFTER = KeepAliveReaper.FRESH.plusSeconds(1);

  @TempDir Path home;
  private List<ModelInfo> models;
  private final List<WorkerOperations> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Path file = TinyModels.tiny(Files.createDirectories(home.resolve("models")), 1);
    models = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      models.add(new ModelInfo(id, "localhost", "test", file.toString(), Files.size(file),
          "llama", null, Instant.now().toString()));
    }
  }

  @AfterEach
  void tearDown() {
    opened.forEach(WorkerOperations::close);
  }

  private WorkerSettings settings() {
    return WorkerSettings.of("localhost", home.resolve("logs/workers"), null,
        Duration.ofSeconds(30), AccessToken.generate("this test"))
        .withMainClass(StandInWorkers.Idling.class.getName());
  }

  private WorkerOperations ops(WorkerSettings settings) {
    WorkerOperations ops = new WorkerOperations(settings, () -> models, () -> List.of(CPU));
    opened.add(ops);
    return ops;
  }

  private static JobChannel channel() {
    return Broadcaster.global().open("test-" + UUID.randomUUID());
  }

  private static WorkerInfo spawn(WorkerOperations ops, String model, JobChannel ch)
      throws Exception {
    ops.spawn(new Operation.WorkerSpawn("localhost", model, "cpu"), TestJob.over(ch));
    List<String> results = JobEvents.results(ch);
    return Json.read(results.get(results.size() - 1), WorkerInfo.class);
  }

  private static boolean alive(WorkerInfo w) {
    return ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Path busyFile(WorkerSettings s, WorkerInfo w) throws Exception {
    return Files.createDirectories(s.nativeDir(w.workerId())).resolve("busy");
  }

  /** Samples until {@code w} is no longer listed (each call may unload it). */
  private static void awaitUnloaded(WorkerOperations ops, WorkerInfo w, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() ->
        ops.workersWithLoad().stream().noneMatch(i -> i.workerId().equals(w.workerId())));
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(w));
  }

  @Test
  void aWorkerIdlePastItsKeepAliveIsStoppedAndLeavesTheList() throws Exception {
    WorkerSettings s = settings().withKeepAlive(new KeepAlive(500));
    WorkerOperations ops = ops(s);
    WorkerInfo w = spawn(ops, "a", channel());

    WorkerInfo sampled = ops.workersWithLoad().get(0);
    assertThat(sampled.keepAliveMs()).isEqualTo(500);
    assertThat(sampled.idleMs()).isNotNull().isNotNegative();
    assertThat(sampled.busy()).isFalse();

    // not before FRESH (2 s) after it was ready, then at the first sample after
    awaitUnloaded(ops, w, KeepAliveReaper.FRESH.plusSeconds(5));
    assertThat(ops.workers()).isEmpty();
  }

  @Test
  void aBusyWorkerIsNotUnloadedEvenWithAKeepAliveOfZero() throws Exception {
    WorkerSettings s = settings().withKeepAlive(new KeepAlive(0));
    WorkerOperations ops = ops(s);
    WorkerInfo w = spawn(ops, "a", channel());
    Path busy = busyFile(s, w);
    Files.writeString(busy, "");

    await().during(WELL_AFTER).atMost(WELL_AFTER.plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ops.workersWithLoad().stream().anyMatch(i ->
            i.workerId().equals(w.workerId()) && i.state().equals("ready")
                && Boolean.TRUE.equals(i.busy()) && i.idleMs() == 0));

    Files.delete(busy); // the job ended: keep-alive 0 unloads it right away
    awaitUnloaded(ops, w, Duration.ofSeconds(5));
  }

  @Test
  void aWorkerKeptAliveForeverStaysLoaded() throws Exception {
    WorkerOperations ops = ops(settings().withKeepAlive(KeepAlive.FOREVER));
    WorkerInfo w = spawn(ops, "a", channel());

    await().during(WELL_AFTER).atMost(WELL_AFTER.plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ops.workersWithLoad().stream().anyMatch(i ->
            i.workerId().equals(w.workerId()) && i.state().equals("ready")
                && i.keepAliveMs() == -1));
    assertThat(alive(w)).isTrue();
  }

  @Test
  void aSpawnAtTheLimitUnloadsTheLeastRecentlyUsedIdleWorker() throws Exception {
    WorkerSettings s = settings().withKeepAlive(KeepAlive.FOREVER).withMaxWorkers(2);
    WorkerOperations ops = ops(s);
    WorkerInfo a = spawn(ops, "a", channel());
    WorkerInfo b = spawn(ops, "b", channel());
    JobChannel ch = channel();

    WorkerInfo c = spawn(ops, "c", ch);

    Narration evict = JobEvents.narration(ch, "worker_evict");
    assertThat(evict.workerId()).isEqualTo(a.workerId()); // idle longer than b
    assertThat(evict.human()).startsWith("Unloading a (worker " + a.workerId() + ", idle ")
        .contains("to load c", "--max-workers");
    assertThat(JobEvents.actions(ch)).containsSubsequence("worker_evict", "worker_evicted",
        "worker_command", "worker_ready");
    assertThat(c.state()).isEqualTo("ready");
    assertThat(alive(a)).isFalse();
    assertThat(alive(b)).isTrue();
    assertThat(ops.workers()).extracting(WorkerInfo::workerId)
        .containsExactly(b.workerId(), c.workerId());
  }

  @Test
  void aSpawnAtTheLimitWaitsWhileEveryWorkerIsBusyAndNeverEvictsABusyOne() throws Exception {
    WorkerSettings s = settings().withKeepAlive(KeepAlive.FOREVER).withMaxWorkers(1);
    WorkerOperations ops = ops(s);
    WorkerInfo a = spawn(ops, "a", channel());
    Path busy = busyFile(s, a);
    Files.writeString(busy, "");
    JobChannel ch = channel();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        outcome.set(spawn(ops, "b", ch));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    job.start();

    await().atMost(Duration.ofSeconds(20))
        .until(() -> JobEvents.actions(ch).contains("worker_evict_wait"));
    assertThat(JobEvents.narration(ch, "worker_evict_wait").human())
        .contains("limit (--max-workers 1)", a.workerId() + " with a: busy", "to unload it and"
            + " load b");
    // still waiting well after: a busy worker is never evicted
    await().during(WELL_AFTER).atMost(WELL_AFTER.plusSeconds(5))
        .until(() -> alive(a) && outcome.get() == null);

    Files.delete(busy);
    job.join(30_000);

    assertThat(outcome.get()).isInstanceOf(WorkerInfo.class);
    assertThat(JobEvents.narration(ch, "worker_evict").workerId()).isEqualTo(a.workerId());
    assertThat(JobEvents.actions(ch)).filteredOn("worker_evict_wait"::equals).hasSize(1);
    assertThat(alive(a)).isFalse();
  }

  @Test
  void aSpawnWaitingForAnIdleWorkerEndsWhenItsJobIsCancelled() throws Exception {
    WorkerSettings s = settings().withKeepAlive(KeepAlive.FOREVER).withMaxWorkers(1);
    WorkerOperations ops = ops(s);
    WorkerInfo a = spawn(ops, "a", channel());
    Files.writeString(busyFile(s, a), "");
    JobChannel ch = channel();
    TestJob ctx = TestJob.over(ch);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        ops.spawn(new Operation.WorkerSpawn("localhost", "b", "cpu"), ctx);
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    ctx.runsOn(job);
    job.start();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> JobEvents.actions(ch).contains("worker_evict_wait"));

    ctx.cancel();
    job.join(10_000);

    assertThat(outcome.get()).isInstanceOf(JobCancelledException.class);
    assertThat(alive(a)).isTrue();
    assertThat(ops.workers()).extracting(WorkerInfo::workerId).containsExactly(a.workerId());
  }
}
