package io.rbee.hive.workers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one hive starts and keeps its workers.
 *
 * @param hiveId the hive the workers belong to (in their {@code WorkerInfo} and narration)
 * @param logDir where each worker's output goes, as {@code <worker-id>.log}
 * @param llamaLibDir a folder holding a CUDA-enabled {@code libjllama.so}; null when none
 * @param readyTimeout how long a spawn waits for a worker's {@code /health} to say ready
 * @param deadRetention how long a worker that ended on its own stays listed
 * @param mainClass the worker program ({@link #WORKER_MAIN}; tests substitute stand-ins)
 */
public record WorkerSettings(
    String hiveId,
    Path logDir,
    Path llamaLibDir,
    Duration readyTimeout,
    Duration deadRetention,
    String mainClass) {

  /** The worker program the hive starts. */
  public static final String WORKER_MAIN = "io.rbee.worker.WorkerMain";

  /** Dead workers stay listed this long, then drop (their log file stays). */
  public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofMinutes(10);

  public WorkerSettings {
    Objects.requireNonNull(hiveId, "hiveId");
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(deadRetention, "deadRetention");
    Objects.requireNonNull(mainClass, "mainClass");
  }

  /** Settings with the real worker program and the default retention. */
  public static WorkerSettings of(
      String hiveId, Path logDir, Path llamaLibDir, Duration readyTimeout) {
    return new WorkerSettings(
        hiveId, logDir, llamaLibDir, readyTimeout, DEFAULT_DEAD_RETENTION, WORKER_MAIN);
  }

  public WorkerSettings withMainClass(String mainClass) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass);
  }

  public WorkerSettings withReadyTimeout(Duration readyTimeout) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass);
  }

  public WorkerSettings withDeadRetention(Duration deadRetention) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass);
  }

  public WorkerSettings withLlamaLibDir(Path llamaLibDir) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass);
  }
}
