package io.rbee.hive.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rbee.hive.JobEvents;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
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
 * The hive's side of running workers, against stand-in worker programs started as real
 * processes (see {@link StandInWorkers}): health polling, failures, cancel, kill, exits.
 */
class WorkerOperationsTest {
  private static final DeviceInfo CPU = new DeviceInfo("cpu", "cpu", "test CPU", null, null, 2);

  @TempDir Path home;
  private Path logDir;
  private ModelInfo tiny;
  private List<DeviceInfo> devices = List.of(CPU);
  private final List<WorkerOperations> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    logDir = home.resolve("logs/workers");
    Path file = TinyModels.tiny(Files.createDirectories(home.resolve("models")), 1);
    tiny = new ModelInfo("tiny", "localhost", "test", file.toString(), Files.size(file), "llama",
        null, Instant.now().toString());
  }

  @AfterEach
  void tearDown() {
    opened.forEach(WorkerOperations::close);
  }

  private WorkerOperations ops(Class<?> standIn) {
    return ops(settings().withMainClass(standIn.getName()));
  }

  private WorkerSettings settings() {
    return WorkerSettings.of("localhost", logDir, null, Duration.ofSeconds(30),
        AccessToken.generate("this test"));
  }

  private WorkerOperations ops(WorkerSettings settings) {
    WorkerOperations ops = new WorkerOperations(settings, () -> List.of(tiny), () -> devices);
    opened.add(ops);
    return ops;
  }

  private static JobChannel channel() {
    return Broadcaster.global().open("test-" + UUID.randomUUID());
  }

  private static WorkerInfo spawn(WorkerOperations ops, String model, String device,
      JobChannel channel) throws Exception {
    ops.spawn(new Operation.WorkerSpawn("localhost", model, device),
        TestJob.over(channel));
    List<String> results = JobEvents.results(channel);
    assertThat(results).hasSize(1);
    return Json.read(results.get(0), WorkerInfo.class);
  }

  @Test
  void spawnNarratesEachStepAndIsReadyOnceHealthSaysSo() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);
    JobChannel ch = channel();

    WorkerInfo w = spawn(ops, "tiny", "cpu", ch);

    assertThat(w.workerId()).matches("worker-[0-9a-f]{8}");
    assertThat(w.state()).isEqualTo("ready");
    assertThat(w.url()).isEqualTo("http://127.0.0.1:" + w.port());
    assertThat(w.pid()).isNotNull();
    assertThat(ProcessHandle.of(w.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertThat(JobEvents.actions(ch)).containsSubsequence("worker_spawn_start",
        "worker_model_checked", "worker_device_checked", "worker_command", "worker_process",
        "worker_loading", "worker_ready");
    assertThat(JobEvents.narration(ch, "worker_command").human())
        .contains(StandInWorkers.Ready.class.getName(), "--port " + w.port(),
            "--worker-id " + w.workerId(), "--model-id tiny", "--bind 127.0.0.1");
    assertThat(JobEvents.narration(ch, "worker_process").human()).contains("pid " + w.pid());
    Narration ready = JobEvents.narration(ch, "worker_ready");
    assertThat(ready.durationMs()).isNotNull().isPositive();
    assertThat(ready.workerId()).isEqualTo(w.workerId());
    assertThat(JobEvents.narrations(ch)).allSatisfy(n -> {
      assertThat(n.hiveId()).isEqualTo("localhost");
      assertThat(n.jobId()).isEqualTo(ch.jobId());
    });
    assertThat(ops.workers()).extracting(WorkerInfo::workerId).containsExactly(w.workerId());
    assertThat(ops.inUse("tiny")).isTrue();
    assertThat(ops.logFile(w.workerId())).hasValueSatisfying(log ->
        assertThat(WorkerLogs.lastLines(log, 10)).anyMatch(l -> l.contains("listening on port")));
  }

  @Test
  void killStopsGracefullyAndDropsTheWorker() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);
    WorkerInfo w = spawn(ops, "tiny", "cpu", channel());

    JobChannel kill = channel();
    ops.kill(new Operation.WorkerKill("localhost", w.workerId()), TestJob.over(kill));

    WorkerInfo last = Json.read(JobEvents.results(kill).get(0), WorkerInfo.class);
    assertThat(last.state()).isEqualTo("stopped");
    assertThat(last.exitCode()).isNotNull();
    assertThat(JobEvents.actions(kill)).containsSubsequence("worker_stop", "worker_stopped")
        .doesNotContain("worker_kill_forced");
    assertThat(JobEvents.narration(kill, "worker_stopped").human()).contains("gracefully");
    assertThat(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ops.workers()).isEmpty();
    assertThat(ops.inUse("tiny")).isFalse();
    // the log outlives the worker
    assertThat(ops.logFile(w.workerId())).isPresent();
  }

  @Test
  void killFallsBackToSigkillWhenSigtermIsIgnored() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.IgnoresSigterm.class);
    WorkerInfo w = spawn(ops, "tiny", "cpu", channel());

    JobChannel kill = channel();
    ops.kill(new Operation.WorkerKill("localhost", w.workerId()), TestJob.over(kill));

    assertThat(JobEvents.actions(kill))
        .containsSubsequence("worker_stop", "worker_kill_forced", "worker_stopped");
    assertThat(JobEvents.narration(kill, "worker_kill_forced").level().wire()).isEqualTo("warn");
    assertThat(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void workerExitingBeforeReadyFailsWithItsErrorLineAndExitCode() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Failing.class);
    JobChannel ch = channel();

    assertThatThrownBy(() -> spawn(ops, "tiny", "cpu", ch))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_LOAD_FAILED);
          assertThat(e.getMessage()).contains("exited with code 5 (worker: the model file is"
                  + " missing, not a valid GGUF, or llama.cpp could not load it) before it was ready",
              "rbee-worker: error: stand-in cannot load " + tiny.path());
        });
    // it stays listed as failed, with its exit code, for a while
    assertThat(ops.workers()).singleElement().satisfies(w -> {
      assertThat(w.state()).isEqualTo("failed");
      assertThat(w.exitCode()).isEqualTo(ExitCode.INVALID_MODEL.code());
    });
    assertThat(ops.inUse("tiny")).isFalse();
  }

  @Test
  void aWorkerThatLostItsPortIsStartedAgainOnAnotherPort() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.LosesPortOnce.class);
    JobChannel ch = channel();
    try {
      WorkerInfo w = spawn(ops, "tiny", "cpu", ch);

      assertThat(w.state()).isEqualTo("ready");
      assertThat(JobEvents.actions(ch)).containsSubsequence("worker_process",
          "worker_port_retry", "worker_process", "worker_ready");
      assertThat(ops.workers()).singleElement()
          .satisfies(listed -> assertThat(listed.state()).isEqualTo("ready"));
    } finally {
      ops.workers().forEach(w -> markerOf(w.workerId()).toFile().delete());
    }
  }

  private static Path markerOf(String workerId) {
    return Path.of(System.getProperty("java.io.tmpdir"), workerId + ".port-lost");
  }

  @Test
  void cancellingTheSpawnKillsTheStartingProcess() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Stuck.class);
    JobChannel ch = channel();
    TestJob ctx = TestJob.over(ch);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        ops.spawn(new Operation.WorkerSpawn("localhost", "tiny", "cpu"), ctx);
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    ctx.runsOn(job);
    job.start();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> JobEvents.actions(ch).contains("worker_loading"));
    long pid = ops.workers().get(0).pid();

    ctx.cancel();
    job.join(10_000);

    assertThat(outcome.get()).isInstanceOf(JobCancelledException.class);
    // the cancel sends SIGKILL; the process may take a moment to be gone
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(ops.workers()).isEmpty();
  }

  @Test
  void aWorkerThatNeverBecomesReadyIsKilledAtTheDeadline() throws Exception {
    WorkerOperations ops = ops(settings().withMainClass(StandInWorkers.Stuck.class.getName())
        .withReadyTimeout(Duration.ofSeconds(2)));

    assertThatThrownBy(() -> spawn(ops, "tiny", "cpu", channel()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.WORKER_START_TIMEOUT);
          assertThat(e.getMessage()).contains("not ready within 2 s");
        });
    long pid = ops.workers().get(0).pid();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ops.workers().get(0).state().equals("failed"));
  }

  @Test
  void unknownModelFailsNamingTheModelsThatExistWithoutStartingAProcess() {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);

    assertThatThrownBy(() -> spawn(ops, "llama-70b", "cpu", channel()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
          assertThat(e.getMessage()).contains("\"llama-70b\"", "models: tiny",
              "rbee model download llama-70b");
        });
    assertThat(ops.workers()).isEmpty();
    assertThat(logDir).doesNotExist();
  }

  @Test
  void cudaDeviceThatDoesNotExistFailsSayingWhichGpusExist() {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);

    assertThatThrownBy(() -> spawn(ops, "tiny", "cuda:1", channel()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.CUDA_UNAVAILABLE);
          assertThat(e.getMessage()).contains("no GPU cuda:1", "no NVIDIA GPU");
        });
    devices = List.of(CPU, new DeviceInfo("cuda:0", "cuda", "NVIDIA Test", 1L << 34, 1L << 34,
        null));
    assertThatThrownBy(() -> spawn(ops, "tiny", "cuda:1", channel()))
        .hasMessageContaining("GPUs: cuda:0 NVIDIA Test");
    assertThat(ops.workers()).isEmpty();
  }

  @Test
  void cudaWithoutALlamaLibraryFolderSaysHowToProvideOne() {
    devices = List.of(CPU, new DeviceInfo("cuda:0", "cuda", "NVIDIA Test", 1L << 34, 1L << 34,
        null));
    WorkerOperations ops = ops(StandInWorkers.Ready.class);

    assertThatThrownBy(() -> spawn(ops, "tiny", "cuda:0", channel()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.CUDA_UNAVAILABLE);
          assertThat(e.getMessage()).contains("RBEE_LLAMA_LIB_DIR", "--llama-lib",
              "libjllama.so", "GGML_CUDA=ON");
        });
    assertThat(ops.workers()).isEmpty();
  }

  @Test
  void aReadyWorkerKilledFromOutsideIsNoticedAndStaysListedThenDrops() throws Exception {
    WorkerOperations ops = ops(settings().withMainClass(StandInWorkers.Ready.class.getName())
        .withDeadRetention(Duration.ofSeconds(2)));
    WorkerInfo w = spawn(ops, "tiny", "cpu", channel());

    ProcessHandle.of(w.pid()).orElseThrow().destroyForcibly();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(ops.find(w.workerId())).hasValueSatisfying(now -> {
          assertThat(now.state()).isEqualTo("failed");
          assertThat(now.exitCode()).isEqualTo(137);
        }));
    assertThat(ops.inUse("tiny")).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> ops.workers().isEmpty());
  }

  @Test
  void unknownWorkerIdsFailListingTheWorkersThatExist() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);
    WorkerInfo w = spawn(ops, "tiny", "cpu", channel());

    assertThatThrownBy(() -> ops.kill(new Operation.WorkerKill("localhost", "worker-00000000"),
        TestJob.over(channel())))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.WORKER_NOT_FOUND);
          assertThat(e.getMessage()).contains("worker-00000000", w.workerId());
        });
    assertThatThrownBy(() -> ops.get(new Operation.WorkerGet("localhost", "nope"),
        TestJob.over(channel())))
        .hasMessageContaining("workers: " + w.workerId());
  }

  @Test
  void closeStopsEveryWorker() throws Exception {
    WorkerOperations ops = ops(StandInWorkers.Ready.class);
    WorkerInfo a = spawn(ops, "tiny", "cpu", channel());
    WorkerInfo b = spawn(ops, "tiny", "cpu", channel());

    ops.close();

    for (WorkerInfo w : List.of(a, b)) {
      assertThat(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
    assertThat(ops.workers()).allSatisfy(w -> assertThat(w.state()).isEqualTo("stopped"));
  }
}
