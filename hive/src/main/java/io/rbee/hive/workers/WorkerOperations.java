package io.rbee.hive.workers;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.Narrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker operations of one hive (WorkerSpawn, WorkerList, WorkerGet, WorkerKill) and the
 * hive's view of its workers. Idle workers unload themselves: each load sample
 * ({@link #workersWithLoad()}) stops those idle past their keep-alive ({@link KeepAliveReaper}),
 * and a spawn at the hive's limit of loaded workers unloads the least recently used idle one
 * ({@link LoadedWorkers}).
 *
 * <p>Thread-safe: jobs run concurrently. Operation methods narrate on the job they are given
 * and emit their result with {@link JobContext#result}. {@link #close()} stops every worker:
 * SIGTERM to all, up to {@value #GRACE_SECONDS} s, then SIGKILL to those still running.
 */
public final class WorkerOperations implements AutoCloseable {
  private static final Narrator NARRATE = Narrator.of("hive");
  private static final Logger LOG = LoggerFactory.getLogger(WorkerOperations.class);
  private static final int GRACE_SECONDS = 5;
  private static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);
  private static final Pattern WORKER_ID = Pattern.compile("worker-[0-9a-f]{8}");

  private final WorkerSettings settings;
  private final WorkerRegistry registry;
  private final WorkerSpawner spawner;
  private final Gate spawns;
  private final HealthProbe probe;
  private final KeepAliveReaper reaper;
  private volatile Runnable changed = () -> { };

  /**
   * @param models the hive's catalog, read at each spawn
   * @param devices the hive's devices, read at each spawn
   */
  public WorkerOperations(WorkerSettings settings, Supplier<List<ModelInfo>> models,
      Supplier<List<DeviceInfo>> devices) {
    this.settings = settings;
    this.registry = new WorkerRegistry(settings.deadRetention());
    this.probe = new HealthProbe(settings.host());
    this.reaper = new KeepAliveReaper(settings.hiveId(), registry, () -> changed.run());
    this.spawner = new WorkerSpawner(settings, registry,
        new SpawnChecks(settings.hiveId(), models, devices), probe,
        new LoadedWorkers(settings, registry, probe, () -> changed.run()),
        this::noticeExit);
    this.spawns = new Gate("a worker spawn on hive " + settings.hiveId(), settings.maxSpawns())
        .timed("hive", "spawn");
    int swept = NativeFolders.sweep(settings.nativeRoot());
    if (swept > 0) {
      NARRATE.withoutJob("worker_native_swept").hiveId(settings.hiveId())
          .human("Deleted {} native library folder(s) left in {} by workers of an earlier run",
              swept, settings.nativeRoot())
          .emit();
    }
  }

  /**
   * WorkerSpawn: result is the ready worker's {@link WorkerInfo}. At most
   * {@link WorkerSettings#maxSpawns()} spawns run at once; the others wait, told so.
   */
  public void spawn(Operation.WorkerSpawn op, JobContext job) throws Exception {
    Gate.Permit spawning = spawns.enter(job);
    try {
      job.result(spawner.spawn(op, job));
    } finally {
      spawning.close();
      changed.run(); // ready, or failed: either way the queen hears at once
    }
  }

  /**
   * Runs {@code listener} after every change of a worker's life: a spawn ended (ready or
   * failed), a kill ended, a worker exited on its own. Called on the thread that saw the
   * change; must not block (the heartbeat loop only wakes up).
   */
  public void onChange(Runnable listener) {
    this.changed = listener;
  }

  /**
   * This hive's workers as {@link #workers()}, each ready one with the load and idleness its
   * {@code /health} reports now (one loopback request per ready worker; a worker that does
   * not answer is listed without them). A worker idle past its keep-alive is stopped on the
   * way ({@link KeepAliveReaper}) and listed as stopping.
   */
  public List<WorkerInfo> workersWithLoad() throws InterruptedException {
    List<WorkerInfo> out = new ArrayList<>();
    for (WorkerProcess w : registry.all()) {
      WorkerInfo info = w.info();
      if (w.state() == WorkerState.READY && w.port() != 0) {
        HealthProbe.Load load = probe.load(w.port());
        if (load != null) {
          if (reaper.consider(w, load)) {
            info = w.info(); // stopping now
          }
          info = info.withLoad(load.busy(), load.queueDepth(), load.idleMs(),
              load.keepAliveMs());
        }
      }
      out.add(info);
    }
    return out;
  }

  /** WorkerList: result is the list of this hive's workers (a JSON array). */
  public void list(Operation.WorkerList op, JobContext job) {
    List<WorkerInfo> all = workers();
    long running = all.stream().filter(w -> w.state().equals("ready")).count();
    job.narrate("worker_list").hiveId(settings.hiveId())
        .human("Hive {} has {} worker(s), {} ready", settings.hiveId(), all.size(), running)
        .emit();
    job.result(all);
  }

  /** WorkerGet: result is one worker; unknown id → {@code worker_not_found}. */
  public void get(Operation.WorkerGet op, JobContext job) {
    WorkerInfo info = require(op.workerId()).info();
    job.narrate("worker_get").hiveId(settings.hiveId())
        .workerId(info.workerId()).model(info.model())
        .human("Worker {} is {} ({} on {})", info.workerId(), info.state(), info.model(),
            info.device())
        .emit();
    job.result(info);
  }

  /**
   * WorkerKill: SIGTERM, up to 5 s, then SIGKILL; the worker leaves the list. Result is its
   * final {@link WorkerInfo}. Killing a worker that already ended just removes it.
   */
  public void kill(Operation.WorkerKill op, JobContext job) throws InterruptedException {
    WorkerProcess w = require(op.workerId());
    String id = w.id();
    if (!w.alive()) {
      job.narrate("worker_already_stopped").hiveId(settings.hiveId())
          .workerId(id).model(w.model())
          .human("Worker {} had already ended ({}, exit code {}); removed it from the list",
              id, w.state().wire(), w.exitCode())
          .emit();
      registry.remove(id);
      job.result(w.info());
      return;
    }
    long t0 = System.nanoTime();
    job.narrate("worker_stop").hiveId(settings.hiveId()).workerId(id)
        .model(w.model())
        .human("Stopping worker {} (pid {}) gracefully with SIGTERM; waiting up to {} s", id,
            w.pid(), GRACE_SECONDS)
        .emit();
    w.stop(false, WorkerState.STOPPED);
    boolean graceful = w.awaitExit(GRACE);
    if (!graceful) {
      job.narrate("worker_kill_forced").hiveId(settings.hiveId())
          .workerId(id).warn()
          .human("Worker {} did not stop within {} s; killing it with SIGKILL", id,
              GRACE_SECONDS)
          .emit();
      w.stop(true, WorkerState.STOPPED);
      if (!w.awaitExit(GRACE)) {
        throw new OperationException(ErrorKind.WORKER_KILL_FAILED,
            "worker " + id + " (pid " + w.pid() + ") is still running after SIGKILL");
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    registry.remove(id);
    changed.run();
    WorkerInfo info = w.info();
    job.narrate("worker_stopped").hiveId(settings.hiveId()).workerId(id)
        .model(info.model()).durationMs(ms)
        .human("Worker {} stopped {} in {} ms (exit code {})", id,
            graceful ? "gracefully" : "forcibly", ms, info.exitCode())
        .emit();
    job.result(info);
  }

  /** This hive's workers, oldest spawn first (ended ones for a while: see the registry). */
  public List<WorkerInfo> workers() {
    return registry.all().stream().map(WorkerProcess::info).toList();
  }

  public Optional<WorkerInfo> find(String workerId) {
    return registry.find(workerId).map(WorkerProcess::info);
  }

  /** True while a starting or ready worker holds {@code modelId} (ModelDelete refuses then). */
  public boolean inUse(String modelId) {
    return registry.inUse(modelId);
  }

  /**
   * The log file of {@code workerId}: a listed worker's, or one left by a worker that dropped
   * from the list. Empty for ids that are not worker ids or have no log.
   */
  public Optional<Path> logFile(String workerId) {
    Optional<Path> listed = registry.find(workerId).map(WorkerProcess::logFile);
    if (listed.isPresent()) {
      return listed;
    }
    if (workerId == null || !WORKER_ID.matcher(workerId).matches()) {
      return Optional.empty();
    }
    Path file = settings.logDir().resolve(workerId + ".log");
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Stops every worker this hive started; returns when all ended or after the grace time. */
  @Override
  public void close() {
    List<WorkerProcess> alive = registry.all().stream().filter(WorkerProcess::alive).toList();
    alive.forEach(w -> w.stop(false, WorkerState.STOPPED));
    try {
      long deadline = System.nanoTime() + GRACE.toNanos();
      for (WorkerProcess w : alive) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!w.awaitExit(Duration.ofNanos(left))) {
          LOG.warn("worker {} did not stop within {} s; killing it", w.id(), GRACE_SECONDS);
          w.stop(true, WorkerState.STOPPED);
        }
      }
      for (WorkerProcess w : alive) {
        if (!w.awaitExit(GRACE)) {
          LOG.error("worker {} (pid {}) is still running after SIGKILL", w.id(), w.pid());
        }
      }
    } catch (InterruptedException e) {
      alive.forEach(w -> w.stop(true, WorkerState.STOPPED));
      Thread.currentThread().interrupt();
    }
  }

  private WorkerProcess require(String workerId) {
    return registry.find(workerId).orElseThrow(() -> {
      List<String> ids = registry.ids();
      return new OperationException(ErrorKind.WORKER_NOT_FOUND,
          "no worker \"" + workerId + "\" on hive " + settings.hiveId() + " ("
              + (ids.isEmpty() ? "it has no workers" : "workers: " + String.join(", ", ids))
              + ")");
    });
  }

  private void noticeExit(WorkerProcess w) {
    // no job id: this goes to the hive's log, not to any stream
    NARRATE.withoutJob("worker_exited").hiveId(settings.hiveId()).workerId(w.id()).model(w.model())
        .level(w.state() == WorkerState.FAILED
            ? io.rbee.narration.Level.ERROR : io.rbee.narration.Level.WARN)
        .human("Worker {} ({}) exited on its own with code {}; it stays listed as {} (log: {})",
            w.id(), w.model(), w.exitCode(), w.state().wire(), w.logFile())
        .emit();
    changed.run();
  }
}
