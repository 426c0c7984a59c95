package io.rbee.worker;

import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.Operation;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the worker's {@code /health} says of its idleness: how long since its last job ended
 * ({@link #idleMs()}, 0 while any job runs or waits for the generation slot) and how long it
 * wants to stay loaded once idle ({@link #keepAlive()}): the {@code keep_alive} of the latest
 * request that carried one (Ollama's rule), else the default its hive spawned it with. The
 * hive reads both and stops the worker once it has been idle that long.
 *
 * <p>{@link #around} wraps the worker's operation handler, so every job counts from the moment
 * its thread starts until it ends, whatever way. Thread-safe; no method blocks.
 */
final class Activity {
  private final LongSupplier clock;
  private int active;
  private long idleSince;
  private KeepAlive keepAlive;

  /** Idle from now on, keeping {@code spawnDefault} until a request says otherwise. */
  Activity(KeepAlive spawnDefault) {
    this(spawnDefault, System::nanoTime);
  }

  /** As above, reading time (nanoseconds) from {@code clock} (tests). */
  Activity(KeepAlive spawnDefault, LongSupplier clock) {
    this.keepAlive = Objects.requireNonNull(spawnDefault, "spawnDefault");
    this.clock = clock;
    this.idleSince = clock.getAsLong();
  }

  /** {@code handler}, with each job counted as activity for as long as it runs or waits. */
  OperationHandler around(OperationHandler handler) {
    return (Operation op, JobContext job) -> {
      begin(op);
      try {
        handler.execute(op, job);
      } finally {
        end();
      }
    };
  }

  /** A job starts: the worker is no longer idle; its request's keep-alive, if any, wins. */
  synchronized void begin(Operation op) {
    active++;
    if (op instanceof Operation.OnWorker w && w.keepAlive() != null) {
      // validated at submission, so this parses
      keepAlive = w.keepAliveOrNull();
    }
  }

  /** A job ended: when it was the last, the worker is idle from now. */
  synchronized void end() {
    active--;
    if (active == 0) {
      idleSince = clock.getAsLong();
    }
  }

  /** The model became ready: idle from now (the load does not count as idle time). */
  synchronized void loaded() {
    if (active == 0) {
      idleSince = clock.getAsLong();
    }
  }

  /** Milliseconds since the last job ended (or the model loaded); 0 while a job runs or waits. */
  synchronized long idleMs() {
    return active > 0 ? 0 : (clock.getAsLong() - idleSince) / 1_000_000;
  }

  /** How long the worker stays loaded once idle. */
  synchronized KeepAlive keepAlive() {
    return keepAlive;
  }
}
