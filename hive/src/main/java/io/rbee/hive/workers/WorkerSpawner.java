package io.rbee.hive.workers;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.NarrationBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one WorkerSpawn: checks (model, GGUF safety, device) before any process starts, then
 * starts the worker program on a free port and waits, with a deadline, for its {@code /health}
 * to say ready. Every step is narrated on the spawn's job.
 *
 * <p>Failures: the process exiting before ready → {@code worker_failed} with the worker's
 * {@code rbee-worker: error:} line and exit code; no ready answer within the timeout →
 * {@code worker_start_timeout} (the process is killed). A worker that lost its port to another
 * process is started again on a new port (up to {@value #PORT_ATTEMPTS} tries). Cancelling the
 * job kills the starting process and drops it from the list.
 */
final class WorkerSpawner {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSpawner.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int PORT_ATTEMPTS = 3;
  static final String ERROR_PREFIX = "rbee-worker: error:";

  private final WorkerSettings settings;
  private final WorkerRegistry registry;
  private final SpawnChecks checks;
  private final HealthProbe probe;
  private final LoadedWorkers loaded;
  private final Consumer<WorkerProcess> onUnexpectedExit;

  WorkerSpawner(WorkerSettings settings, WorkerRegistry registry, SpawnChecks checks,
      HealthProbe probe, LoadedWorkers loaded, Consumer<WorkerProcess> onUnexpectedExit) {
    this.settings = settings;
    this.registry = registry;
    this.checks = checks;
    this.probe = probe;
    this.loaded = loaded;
    this.onUnexpectedExit = onUnexpectedExit;
  }

  WorkerInfo spawn(Operation.WorkerSpawn op, JobContext job) throws Exception {
    long t0 = System.nanoTime();
    String device = op.device();
    narrate("worker_spawn_start", job, op)
        .human("Spawning a worker for model {} on {} with {} llama.cpp thread(s){} (hive {})",
            op.model(), device, op.threads() != null ? op.threads() : settings.threads(),
            op.threads() != null ? "" : ", the hive's default", settings.hiveId())
        .emit();

    ModelInfo model = checks.model(op.model());
    checks.loadable(model);
    narrate("worker_model_checked", job, op)
        .human("Model {} is {} ({}); the GGUF file is safe to load", model.id(), model.path(),
            Sizes.human(model.sizeBytes()))
        .emit();

    DeviceInfo dev = checks.device(device, settings.llamaLibDir());
    narrate("worker_device_checked", job, op)
        .human("Device {} is available: {}", device, dev.name())
        .emit();
    job.throwIfCancelled();

    int threads = op.threads() != null ? op.threads() : settings.threads();
    // at the hive's limit of loaded workers, the least recently used idle one goes first
    WorkerProcess w = loaded.admit(op, job,
        () -> registry.create(settings, model.id(), device, threads));
    // a cancel kills whichever attempt's process runs now; the spawn loop then ends the job
    job.onCancel(() -> w.stop(true, WorkerState.STOPPED));
    try {
      for (int attempt = 1; ; attempt++) {
        Outcome outcome = startAndAwait(w, model, device, job, op);
        if (outcome == Outcome.READY) {
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          WorkerInfo info = w.info();
          narrate("worker_ready", job, op).workerId(w.id()).durationMs(ms)
              .human("Worker {} is ready at {} ({} on {}, pid {}; started in {} ms)",
                  w.id(), info.url(), model.id(), device, info.pid(), ms)
              .emit();
          return info;
        }
        if (attempt < PORT_ATTEMPTS && !w.stopRequested() && lostItsPort(w)) {
          narrate("worker_port_retry", job, op).workerId(w.id()).warn()
              .human("Port {} was taken by another process before worker {} could bind it;"
                  + " trying again on a new port", w.port(), w.id())
              .emit();
          continue;
        }
        throw exitedBeforeReady(w);
      }
    } catch (JobCancelledException e) {
      stopAndForget(w);
      narrate("worker_spawn_cancelled", job, op).workerId(w.id()).warn()
          .human("Spawn cancelled; worker {} was killed", w.id())
          .emit();
      throw e;
    } catch (InterruptedException e) {
      stopAndForget(w);
      if (job.cancelled()) {
        throw new JobCancelledException();
      }
      throw e;
    } catch (RuntimeException e) {
      // a failed spawn leaves no process behind; the entry stays listed as failed
      w.stop(true, WorkerState.FAILED);
      throw e;
    }
  }

  private enum Outcome { READY, EXITED }

  private Outcome startAndAwait(WorkerProcess w, ModelInfo model, String device, JobContext job,
      Operation.WorkerSpawn op) throws InterruptedException {
    int port = FreePorts.pick(settings.host(), registry.portsInUse());
    w.assignPort(port);
    JvmLauncher launch = JvmLauncher.of(settings.mainClass())
        .arg("--model", model.path(), "--port", Integer.toString(port), "--bind", settings.host(),
            "--device", device, "--worker-id", w.id(), "--model-id", model.id(),
            "--threads", Integer.toString(w.threads()),
            "--native-dir", w.nativeDir().toString(),
            // the hive's default; the latest request that names one wins over it
            "--keep-alive", wire(settings.keepAlive()),
            // the worker exits when this pipe closes: when this process is gone, however
            "--watch-stdin")
        .stdinPipe()
        // the token goes in the environment: a command line is readable by every user (ps)
        .env(TokenFile.ENV, settings.token().value())
        .logTo(w.logFile());
    if (settings.llamaLibDir() != null) {
      launch.arg("--llama-lib", settings.llamaLibDir().toString());
    }
    LOG.debug("worker {} command: {}", w.id(), launch.command());
    narrate("worker_command", job, op).workerId(w.id())
        .human("Starting worker {}: {}", w.id(), readable(launch.command()))
        .emit();
    Process p;
    try {
      p = launch.start();
    } catch (IOException e) {
      w.launchFailed();
      throw new OperationException(ErrorKind.WORKER_FAILED,
          "could not start the worker process: " + e.getMessage(), e);
    }
    w.started(p, () -> onUnexpectedExit.accept(w));
    narrate("worker_process", job, op).workerId(w.id())
        .human("Worker {} runs as pid {} on port {}; its log is {}", w.id(), p.pid(), port,
            w.logFile())
        .emit();
    narrate("worker_loading", job, op).workerId(w.id())
        .human("Waiting for the model to load (up to {} s)", settings.readyTimeout().toSeconds())
        .emit();
    return awaitReady(w, p, job);
  }

  private Outcome awaitReady(WorkerProcess w, Process p, JobContext job)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    while (true) {
      job.throwIfCancelled();
      if (!p.isAlive()) {
        w.awaitExit(Duration.ofSeconds(5));
        job.throwIfCancelled();
        if (w.stopRequested()) {
          throw new OperationException(ErrorKind.WORKER_STOPPED,
              "worker " + w.id() + " was stopped while it was starting");
        }
        return Outcome.EXITED;
      }
      if (probe.check(w.port(), w.id()) == HealthProbe.Health.READY && w.markReady()) {
        return Outcome.READY;
      }
      if (System.nanoTime() > deadline) {
        w.stop(true, WorkerState.FAILED);
        throw new OperationException(ErrorKind.WORKER_START_TIMEOUT,
            "worker " + w.id() + " was not ready within " + settings.readyTimeout().toSeconds()
                + " s and was killed" + lastLinesNote(w));
      }
      try {
        // wakes early when the process exits
        p.onExit().get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // still running: poll again
      }
    }
  }

  private static boolean lostItsPort(WorkerProcess w) {
    return WorkerLogs.errorLine(w.logFile())
        .map(line -> line.toLowerCase(java.util.Locale.ROOT).contains("already in use")
            || line.contains("BindException"))
        .orElse(false);
  }

  private static OperationException exitedBeforeReady(WorkerProcess w) {
    String why = WorkerLogs.errorLine(w.logFile())
        .map(line -> ": " + line)
        .orElseGet(() -> lastLinesNote(w));
    Optional<ExitCode> code = w.exitCode() == null ? Optional.empty() : ExitCode.of(w.exitCode());
    // the worker's exit code says why (ExitCode); the kind follows it
    ErrorKind kind = switch (code.orElse(ExitCode.FAILED)) {
      case INVALID_MODEL -> ErrorKind.MODEL_LOAD_FAILED;
      case CUDA_UNAVAILABLE -> ErrorKind.CUDA_UNAVAILABLE;
      default -> ErrorKind.WORKER_FAILED;
    };
    return new OperationException(kind,
        "worker " + w.id() + " exited with code " + w.exitCode()
            + code.map(c -> " (" + c.meaning() + ")").orElse("") + " before it was ready" + why
            + " (log: " + w.logFile() + ")");
  }

  private static String lastLinesNote(WorkerProcess w) {
    List<String> last = WorkerLogs.lastLines(w.logFile(), 5);
    return last.isEmpty() ? "; its log is empty" : "; last log lines:\n" + String.join("\n", last);
  }

  private void stopAndForget(WorkerProcess w) {
    w.stop(true, WorkerState.STOPPED);
    try {
      w.awaitExit(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    registry.remove(w.id());
  }

  private NarrationBuilder narrate(String action, JobContext job, Operation.WorkerSpawn op) {
    return job.narrate(action).hiveId(settings.hiveId())
        .model(op.model()).device(op.device());
  }

  /** {@code keepAlive} as the worker's {@code --keep-alive} reads it back. */
  static String wire(io.rbee.jobs.KeepAlive keepAlive) {
    return keepAlive.forever() ? "-1" : keepAlive.millis() + "ms";
  }

  /** The command line with the (long) classpath shortened: the full one is in the debug log. */
  static String readable(List<String> command) {
    List<String> out = new ArrayList<>(command);
    int cp = out.indexOf("-cp");
    if (cp >= 0 && cp + 1 < out.size()) {
      int entries = out.get(cp + 1).split(java.io.File.pathSeparator).length;
      out.set(cp + 1, "<classpath: " + entries + " entries>");
    }
    return String.join(" ", out);
  }
}
