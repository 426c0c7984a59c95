package io.rbee.hive.workers;

import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.server.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The hive's limit on loaded workers ({@code --max-workers}; 0: none). A worker counts from
 * the moment its spawn registers it (starting) until its process has exited (stopping counts:
 * its memory is not free yet).
 *
 * <p>A spawn at the limit first unloads the least recently used idle worker (the one idle the
 * longest, see {@link KeepAliveReaper#idle}), narrated into the spawn's job as
 * {@code worker_evict}, and waits for it to exit. When no loaded worker is idle (each is busy,
 * has jobs waiting, or is still starting) the spawn waits, narrated once
 * ({@code worker_evict_wait}, with the limit), looking again every {@link #RECHECK} until one
 * is idle or the job is cancelled. A busy worker is never evicted.
 *
 * <p>Check, eviction and registration run for one spawn at a time per hive (a {@link Gate} of
 * one), so two spawns never both see a free place. Thread-safe.
 */
final class LoadedWorkers {
  /** How often a spawn waiting for an idle worker looks again. */
  static final Duration RECHECK = Duration.ofMillis(250);

  private final WorkerSettings settings;
  private final WorkerRegistry registry;
  private final HealthProbe probe;
  private final Runnable changed;
  private final Gate room;

  /** {@code changed} runs after an evicted worker is gone; must not block. */
  LoadedWorkers(WorkerSettings settings, WorkerRegistry registry, HealthProbe probe,
      Runnable changed) {
    this.settings = settings;
    this.registry = registry;
    this.probe = probe;
    this.changed = changed;
    this.room = new Gate("room under hive " + settings.hiveId() + "'s limit of "
        + settings.maxWorkers() + " loaded worker(s)", 1);
  }

  /**
   * Registers a new worker with {@code create} once there is room for it under the limit,
   * unloading the least recently used idle worker first when there is not (see the class).
   *
   * @throws JobCancelledException when the job is cancelled while it waits
   */
  WorkerProcess admit(Operation.WorkerSpawn op, JobContext job, Supplier<WorkerProcess> create)
      throws InterruptedException {
    int max = settings.maxWorkers();
    if (max == 0) {
      return create.get();
    }
    Gate.Permit turn = room.enter(job);
    try {
      boolean toldWait = false;
      while (true) {
        job.throwIfCancelled();
        List<WorkerProcess> loaded = registry.all().stream().filter(WorkerProcess::alive)
            .toList();
        if (loaded.size() < max) {
          return create.get();
        }
        Optional<WorkerProcess> leaving = loaded.stream()
            .filter(w -> w.state() == WorkerState.STOPPING).findFirst();
        if (leaving.isPresent()) {
          // already on its way out (unloaded, killed): its place frees once it exited
          leaving.get().awaitExit(RECHECK);
          continue;
        }
        Scan scan = scan(loaded);
        if (scan.lru() != null) {
          evict(scan.lru(), op, job);
          continue;
        }
        if (!toldWait) {
          toldWait = true;
          job.narrate("worker_evict_wait").hiveId(settings.hiveId()).model(op.model())
              .human("Hive {} has {} loaded worker(s), its limit (--max-workers {}), and none"
                  + " is idle ({}); waiting for one to be idle to unload it and load {}",
                  settings.hiveId(), loaded.size(), max, String.join(", ", scan.notIdle()),
                  op.model())
              .emit();
        }
        try {
          Thread.sleep(RECHECK);
        } catch (InterruptedException e) {
          if (job.cancelled()) {
            throw new JobCancelledException();
          }
          throw e;
        }
      }
    } finally {
      turn.close();
    }
  }

  private record Idle(WorkerProcess worker, long idleMs) {}

  /** The least recently used idle worker (null: none), and why each other one is not idle. */
  private record Scan(Idle lru, List<String> notIdle) {}

  private Scan scan(List<WorkerProcess> loaded) throws InterruptedException {
    Idle best = null;
    List<String> notIdle = new ArrayList<>();
    for (WorkerProcess w : loaded) {
      HealthProbe.Load load = w.state() == WorkerState.READY && w.port() != 0
          ? probe.load(w.port()) : null;
      if (KeepAliveReaper.idle(load, w.readyForMs())) {
        if (best == null || load.idleMs() > best.idleMs()) {
          best = new Idle(w, load.idleMs());
        }
      } else {
        notIdle.add(w.id() + " with " + w.model() + ": " + whyNotIdle(w, load));
      }
    }
    return new Scan(best, notIdle);
  }

  private static String whyNotIdle(WorkerProcess w, HealthProbe.Load load) {
    if (w.state() != WorkerState.READY) {
      return w.state().wire();
    }
    if (load == null) {
      return "not answering its /health";
    }
    if (load.busy() || load.queueDepth() > 0) {
      return "busy" + (load.queueDepth() > 0 ? ", " + load.queueDepth() + " waiting" : "");
    }
    if (load.idleMs() == null) {
      return "does not report its idle time";
    }
    if (w.readyForMs() < KeepAliveReaper.FRESH.toMillis()) {
      return "just loaded, its first request on the way";
    }
    return "a job is starting";
  }

  private void evict(Idle lru, Operation.WorkerSpawn op, JobContext job)
      throws InterruptedException {
    WorkerProcess w = lru.worker();
    job.narrate("worker_evict").hiveId(settings.hiveId()).workerId(w.id()).model(w.model())
        .human("Unloading {} (worker {}, idle {}) to load {}: hive {} holds at most {} loaded"
            + " worker(s) (--max-workers)", w.model(), w.id(), KeepAliveReaper.say(lru.idleMs()),
            op.model(), settings.hiveId(), settings.maxWorkers())
        .emit();
    long t0 = System.nanoTime();
    boolean graceful = w.stopWithin(KeepAliveReaper.STOP_GRACE);
    registry.remove(w.id());
    changed.run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    job.narrate("worker_evicted").hiveId(settings.hiveId()).workerId(w.id()).model(w.model())
        .durationMs(ms)
        .human("Worker {} stopped {} in {} ms; {} is unloaded", w.id(),
            graceful ? "gracefully" : "forcibly", ms, w.model())
        .emit();
  }
}
