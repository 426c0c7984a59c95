package io.rbee.hive.workers;

import io.rbee.jobs.WorkerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker of this hive: its identity, its process once started, and its state.
 *
 * <p>Thread-safe: the spawn job, kill jobs, the process-exit callback and readers of the list
 * all touch it. State moves STARTING → READY → (STOPPING →) STOPPED/FAILED; once the process
 * exited the state is final. {@link #exited()} completes after the exit was recorded, so a
 * waiter on it always sees the final state and exit code.
 */
final class WorkerProcess {
  private final String id;
  private final String hiveId;
  private final String model;
  private final String device;
  private final Path logFile;
  private final Path nativeDir;
  private final int threads;
  private final String host;
  private final Instant startedAt = Instant.now();
  private CompletableFuture<WorkerProcess> exited = new CompletableFuture<>();
  private Process process;
  private int port;
  private WorkerState state = WorkerState.STARTING;
  private WorkerState stateOnExit;
  private Integer exitCode;
  private Instant endedAt;
  private long readyAtNanos;

  /** {@code host}: the address the worker binds and is reached at (its {@code url}). */
  WorkerProcess(String id, String hiveId, String model, String device, Path logFile,
      Path nativeDir, int threads, String host) {
    this.id = id;
    this.hiveId = hiveId;
    this.model = model;
    this.device = device;
    this.logFile = logFile;
    this.nativeDir = nativeDir;
    this.threads = threads;
    this.host = host;
  }

  String id() {
    return id;
  }

  String model() {
    return model;
  }

  Path logFile() {
    return logFile;
  }

  /** Where this worker's process extracts llama.cpp; deleted once the process has exited. */
  Path nativeDir() {
    return nativeDir;
  }

  int threads() {
    return threads;
  }

  synchronized int port() {
    return port;
  }

  synchronized void assignPort(int port) {
    this.port = port;
  }

  synchronized WorkerState state() {
    return state;
  }

  synchronized Instant endedAt() {
    return endedAt;
  }

  synchronized Process process() {
    return process;
  }

  /**
   * Records a started process (a spawn may start several when a port was taken in between)
   * and arranges for its exit to be recorded. Only the last attempt's exit ends the worker.
   * The process is kept (and with it the write end of its stdin pipe, which the worker watches
   * to outlive its hive by nothing) until it has exited.
   */
  synchronized void started(Process p, Runnable onUnexpectedExit) {
    if (endedAt != null) {
      // a new attempt after the previous process lost its port: the worker starts over
      endedAt = null;
      exitCode = null;
      state = WorkerState.STARTING;
      exited = new CompletableFuture<>();
    }
    this.process = p;
    p.onExit().thenRun(() -> recordExit(p, onUnexpectedExit));
    if (stateOnExit != null) {
      // stopped (killed, cancelled, hive closing) before its process existed
      p.destroyForcibly();
    }
  }

  private void recordExit(Process p, Runnable onUnexpectedExit) {
    boolean unexpected;
    synchronized (this) {
      if (p != process || endedAt != null) {
        return; // an earlier attempt of the spawn; the worker lives on in a newer process
      }
      // whatever way it died (SIGKILL skips its own cleanup): before the exit is seen, so a
      // retry on a new port and every waiter find the folder gone
      NativeFolders.delete(nativeDir);
      exitCode = p.exitValue();
      endedAt = Instant.now();
      unexpected = stateOnExit == null && state == WorkerState.READY;
      if (stateOnExit != null) {
        state = stateOnExit;
      } else {
        state = exitCode == 0 ? WorkerState.STOPPED : WorkerState.FAILED;
      }
    }
    CompletableFuture<WorkerProcess> done;
    synchronized (this) {
      done = exited;
    }
    if (unexpected) {
      onUnexpectedExit.run();
    }
    done.complete(this);
  }

  /** Marks a worker whose process never started (the launch itself failed) as failed. */
  synchronized void launchFailed() {
    state = WorkerState.FAILED;
    endedAt = Instant.now();
    exited.complete(this);
  }

  /** STARTING → READY; false when the worker was meanwhile asked to stop or ended. */
  synchronized boolean markReady() {
    if (state != WorkerState.STARTING || stateOnExit != null) {
      return false;
    }
    state = WorkerState.READY;
    readyAtNanos = System.nanoTime();
    return true;
  }

  /** Milliseconds since the spawn saw this worker ready; 0 when it is not (yet) ready. */
  synchronized long readyForMs() {
    return state == WorkerState.READY ? (System.nanoTime() - readyAtNanos) / 1_000_000 : 0;
  }

  /**
   * Asks the process to end: SIGTERM when {@code forcibly} is false, SIGKILL otherwise. The
   * state becomes STOPPING and, once the process exited, {@code finalState}. Never blocks.
   */
  void stop(boolean forcibly, WorkerState finalState) {
    Process p;
    synchronized (this) {
      if (endedAt == null) {
        if (stateOnExit == null) {
          stateOnExit = finalState;
        }
        state = WorkerState.STOPPING;
      }
      p = process;
    }
    if (p != null) {
      if (forcibly) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
    }
  }

  /**
   * Stops the process gracefully (SIGTERM), and forcibly (SIGKILL) when it has not exited
   * within {@code grace}; returns true when it stopped gracefully, false when it had to be
   * killed. Waits up to twice {@code grace}; the state ends as STOPPED.
   */
  boolean stopWithin(Duration grace) throws InterruptedException {
    stop(false, WorkerState.STOPPED);
    if (awaitExit(grace)) {
      return true;
    }
    stop(true, WorkerState.STOPPED);
    awaitExit(grace);
    return false;
  }

  /** True when a stop was requested (by a kill, a cancel, a timeout or the hive closing). */
  synchronized boolean stopRequested() {
    return stateOnExit != null;
  }

  /** True while the process has not exited (or was never started but not yet failed). */
  synchronized boolean alive() {
    return endedAt == null;
  }

  /** Waits up to {@code timeout} for the exit to be recorded; true when it was. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    CompletableFuture<WorkerProcess> done;
    synchronized (this) {
      done = exited;
    }
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  synchronized Integer exitCode() {
    return exitCode;
  }

  synchronized Long pid() {
    return process == null ? null : process.pid();
  }

  /** A snapshot for the API. */
  synchronized WorkerInfo info() {
    Integer p = port == 0 ? null : port;
    return new WorkerInfo(
        id,
        hiveId,
        model,
        device,
        state.wire(),
        pid(),
        p,
        p == null ? null : "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + p,
        startedAt.toString(),
        logFile.toString(),
        exitCode,
        threads,
        null,
        null,
        null,
        null);
  }
}
