package io.rbee.hive.workers;

import io.rbee.jobs.KeepAlive;
import io.rbee.narration.Narrator;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unloads workers idle longer than their keep-alive. The hive reads each ready worker's
 * {@code /health} at every load sample ({@link WorkerOperations#workersWithLoad()}, which the
 * heartbeat loop calls every 250 ms) and hands what it read here: a worker whose
 * {@code idle_ms >= keep_alive_ms} is stopped (SIGTERM, SIGKILL after {@link #STOP_GRACE}),
 * narrated without a job (the hive's log) and dropped from the list.
 *
 * <p>Never unloaded: a worker whose keep-alive is -1, one that is busy or has jobs waiting, one
 * that reports {@code idle_ms} 0 (a job runs or waits there), and one that became ready less
 * than {@link #FRESH} ago (the request it was spawned for is on its way to it). Thread-safe;
 * {@link #consider} never blocks: the stop is waited for on a virtual thread of its own.
 */
final class KeepAliveReaper {
  private static final Logger LOG = LoggerFactory.getLogger(KeepAliveReaper.class);
  private static final Narrator NARRATE = Narrator.of("hive");

  /**
   * A worker this freshly ready is never unloaded: the spawn's result (and with it the request
   * the worker was loaded for) reaches it within milliseconds, but a keep-alive of 0 or a
   * spawn at the worker limit must not undo the load before it did.
   */
  static final Duration FRESH = Duration.ofSeconds(2);

  /** How long a SIGTERM gets before SIGKILL. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String hiveId;
  private final WorkerRegistry registry;
  private final Runnable changed;

  /** {@code changed} runs when a worker starts stopping and once it is gone; must not block. */
  KeepAliveReaper(String hiveId, WorkerRegistry registry, Runnable changed) {
    this.hiveId = hiveId;
    this.registry = registry;
    this.changed = changed;
  }

  /**
   * True when a worker that reported {@code load}, ready for {@code readyForMs}, has been
   * idle for its whole keep-alive.
   */
  static boolean expired(HealthProbe.Load load, long readyForMs) {
    if (!idle(load, readyForMs) || load.keepAliveMs() == null || load.keepAliveMs() < 0) {
      return false;
    }
    return load.idleMs() >= load.keepAliveMs();
  }

  /**
   * True when a worker that reported {@code load}, ready for {@code readyForMs}, runs nothing
   * and nothing waits for it: it may be unloaded (its keep-alive ran out, or a spawn at the
   * worker limit needs its place). A worker that does not report its idleness is not idle.
   */
  static boolean idle(HealthProbe.Load load, long readyForMs) {
    return load != null && !load.busy() && load.queueDepth() == 0 && load.idleMs() != null
        && load.idleMs() > 0 && readyForMs >= FRESH.toMillis();
  }

  /**
   * Unloads {@code w} when {@code load} (what it just reported) says its keep-alive ran out;
   * returns true when it did. The worker is STOPPING when this returns true.
   */
  synchronized boolean consider(WorkerProcess w, HealthProbe.Load load) {
    // readyForMs is 0 unless the worker is still READY: one that is stopping is not again
    if (w.stopRequested() || !expired(load, w.readyForMs())) {
      return false;
    }
    String idle = say(load.idleMs());
    String keep = new KeepAlive(load.keepAliveMs()).toString();
    NARRATE.withoutJob("worker_unload").hiveId(hiveId).workerId(w.id()).model(w.model())
        .human("Unloading {} from worker {}: idle {} (keep-alive {})", w.model(), w.id(), idle,
            keep)
        .emit();
    w.stop(false, WorkerState.STOPPED);
    changed.run(); // the queen hears "stopping" at once and places nothing more there
    Thread.ofVirtual().name("unload-" + w.id()).start(() -> finish(w));
    return true;
  }

  private void finish(WorkerProcess w) {
    try {
      boolean graceful = w.stopWithin(STOP_GRACE);
      if (!graceful) {
        LOG.warn("worker {} did not stop within {} s of SIGTERM; killed it", w.id(),
            STOP_GRACE.toSeconds());
      }
      registry.remove(w.id());
      NARRATE.withoutJob("worker_unloaded").hiveId(hiveId).workerId(w.id()).model(w.model())
          .human("Worker {} stopped {} (exit code {}); {} is unloaded", w.id(),
              graceful ? "gracefully" : "forcibly", w.exitCode(), w.model())
          .emit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      changed.run();
    }
  }

  /** An idle time as people read it: {@code 2.0 s}, {@code 45 s}, {@code 4 min}, {@code 2 h}. */
  static String say(long ms) {
    if (ms < 10_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 60_000) {
      return ms / 1000 + " s";
    }
    if (ms < 3_600_000) {
      return ms / 60_000 + " min";
    }
    long h = ms / 3_600_000;
    long min = ms % 3_600_000 / 60_000;
    return min == 0 ? h + " h" : h + " h " + min + " min";
  }
}
