package io.rbee.hive;

import io.rbee.hive.devices.Devices;
import io.rbee.hive.models.ModelCatalog;
import io.rbee.hive.models.ModelDownloader;
import io.rbee.hive.models.ModelOperations;
import io.rbee.hive.workers.WorkerMetrics;
import io.rbee.hive.workers.WorkerOperations;
import io.rbee.hive.workers.WorkerSettings;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.OperationHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hive library: runs the hive's operations for one hive id. The hive daemon serves it
 * over HTTP; the queen, in integrated mode, calls {@link #execute} directly with its own job.
 *
 * <p>Hive code never opens job channels: it narrates through the {@link JobContext} it is
 * handed, so its events land on whichever stream the caller created (the hive daemon's job, or
 * the queen's). Thread-safe: jobs run concurrently. {@link #close()} stops every worker it
 * started (SIGTERM, then SIGKILL after 5 s); call it once when the owner shuts down.
 *
 * <p>A hive operation naming another {@code hive_id} is still run here: the caller routed it
 * to this hive, and a daemon may be registered under an alias of its own id.
 */
public final class Hive implements OperationHandler, AutoCloseable {
  /** The operations a hive runs, in {@link Operation#NAMES} order. */
  public static final List<String> OPERATIONS = Daemon.HIVE.operations();

  /** The actor hive code narrates as. */
  public static final String ACTOR = "hive";

  private final HiveConfig config;
  private final ModelCatalog catalog;
  private final ModelOperations models;
  private final WorkerOperations workers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LiveGauge.Registration workerGauge;
  private volatile Runnable changed = () -> { };

  public Hive(HiveConfig config) {
    this(config, WorkerSettings.WORKER_MAIN);
  }

  /** A hive whose workers run {@code workerMainClass} (tests use stand-in worker programs). */
  Hive(HiveConfig config, String workerMainClass) {
    this.config = config;
    this.catalog = new ModelCatalog(config.stateDir(), config.hiveId());
    WorkerSettings settings = WorkerSettings.of(config.hiveId(), config.workerLogDir(),
            config.llamaLibDir(), config.workerReadyTimeout(), config.token())
        .withMainClass(workerMainClass)
        .withNativeRoot(config.workerNativeDir())
        .withThreads(config.limits().workerThreads())
        .withMaxSpawns(config.limits().maxSpawns())
        .withMaxWorkers(config.limits().maxWorkers())
        .withKeepAlive(config.limits().workerKeepAlive())
        .withHost(config.workerHost());
    this.workers = new WorkerOperations(settings, catalog::list, Devices::detect);
    this.models = new ModelOperations(catalog, new ModelDownloader(), workers::inUse, null,
        config.limits().maxDownloads());
    this.workerGauge = WorkerMetrics.track(config.hiveId(), workers::workers);
  }

  public HiveConfig config() {
    return config;
  }

  public String hiveId() {
    return config.hiveId();
  }

  /**
   * Runs one operation on the calling (job) thread, narrating through {@code caller} and
   * emitting its result: hive operations run ({@link #run}); others fail with
   * {@code unsupported_operation}.
   */
  @Override
  public void execute(Operation op, JobContext caller) throws Exception {
    switch (op) {
      case Operation.OnHive hiveOp -> run(hiveOp, caller);
      case Operation.OnQueen other -> throw unsupported(other);
      case Operation.OnWorker other -> throw unsupported(other);
    }
  }

  /**
   * Runs one hive operation on the calling (job) thread, narrating through {@code caller}
   * and emitting its result (what the queen calls in integrated mode).
   */
  public void run(Operation.OnHive op, JobContext caller) throws Exception {
    // the hive says "hive", also inside the queen's job in integrated mode
    JobContext job = caller.as(ACTOR);
    if (closed.get()) {
      throw new OperationException(ErrorKind.HIVE_CLOSED, "hive " + config.hiveId() + " is shutting down");
    }
    switch (op) {
      case Operation.HiveCheck o -> new HiveSelfCheck(this, config).run(job);
      case Operation.WorkerSpawn o -> workers.spawn(o, job);
      case Operation.WorkerList o -> workers.list(o, job);
      case Operation.WorkerGet o -> workers.get(o, job);
      case Operation.WorkerKill o -> workers.kill(o, job);
      case Operation.ModelDownload o -> changesCatalog(() -> models.download(o, job));
      case Operation.ModelList o -> models.list(o, job);
      case Operation.ModelGet o -> models.get(o, job);
      case Operation.ModelDelete o -> changesCatalog(() -> models.delete(o, job));
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Runs a step that may change the catalog, then tells the listener (the heartbeats). */
  private void changesCatalog(Step step) throws Exception {
    try {
      step.run();
    } finally {
      changed.run();
    }
  }

  private OperationException unsupported(Operation op) {
    return new OperationException(ErrorKind.UNSUPPORTED_OPERATION,
        "hive " + config.hiveId() + " does not run " + op.name() + " (it runs: "
            + String.join(", ", OPERATIONS) + ")");
  }

  /** This hive's model catalog (the queen in integrated mode and tests register files here). */
  public ModelCatalog catalog() {
    return catalog;
  }

  /** This hive's workers, oldest first; ended ones stay listed for 10 minutes. */
  public List<WorkerInfo> workers() {
    return workers.workers();
  }

  /**
   * This hive's workers with the load each ready one reports now (what a heartbeat carries):
   * one loopback {@code /health} request per ready worker.
   */
  public List<WorkerInfo> workersWithLoad() throws InterruptedException {
    return workers.workersWithLoad();
  }

  /**
   * Runs {@code listener} after every change of a worker's life (ready, failed, killed,
   * exited) and of the model catalog (a download or delete ended); it must not block. One
   * listener (the heartbeat loop); a later call replaces it.
   */
  public void onChange(Runnable listener) {
    workers.onChange(listener);
    this.changed = listener;
  }

  /** The models in this hive's catalog. */
  public List<ModelInfo> models() {
    return catalog.list();
  }

  /** The devices of this machine: the CPU, then each NVIDIA GPU. */
  public List<DeviceInfo> devices() {
    return Devices.detect();
  }

  /** The log file of a worker (listed, or one that dropped from the list but left its log). */
  public Optional<Path> workerLog(String workerId) {
    return workers.logFile(workerId);
  }

  /** True while a starting or ready worker holds {@code modelId}. */
  public boolean modelInUse(String modelId) {
    return workers.inUse(modelId);
  }

  /** Stops every worker this hive started (graceful, then forced). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      workerGauge.close();
      workers.close();
    }
  }
}
