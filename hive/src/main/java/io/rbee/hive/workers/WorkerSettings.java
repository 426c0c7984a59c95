package io.rbee.hive.workers;

import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.limits.LlamaThreads;
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
 * @param nativeRoot where each worker extracts llama.cpp's native library, one folder per
 *     worker id; the hive deletes a worker's folder once its process has exited, and the whole
 *     content at start (what a hive that died left behind)
 * @param threads llama.cpp threads for a spawn that names none
 * @param maxSpawns worker spawns that run at once on this hive (more wait, narrated)
 * @param token the installation's access token, handed to each worker in its environment
 *     ({@code RBEE_TOKEN}, never on its command line): the worker requires it, as the hive does
 * @param host the address workers bind and are reached at (their {@code url}): the hive's own
 *     bind address, so the queen can call them directly; {@code 127.0.0.1} by default
 * @param maxWorkers workers loaded at once (starting, ready or stopping); 0: no limit. A spawn
 *     at the limit unloads the least recently used idle worker first ({@link LoadedWorkers})
 * @param keepAlive how long a worker stays loaded once idle unless a request says otherwise
 *     (handed to each worker as {@code --keep-alive}; the hive enforces it, see
 *     {@link KeepAliveReaper})
 */
public record WorkerSettings(
    String hiveId,
    Path logDir,
    Path llamaLibDir,
    Duration readyTimeout,
    Duration deadRetention,
    String mainClass,
    Path nativeRoot,
    int threads,
    int maxSpawns,
    AccessToken token,
    String host,
    int maxWorkers,
    KeepAlive keepAlive) {

  /** The worker program the hive starts. */
  public static final String WORKER_MAIN = "io.rbee.worker.WorkerMain";

  /** Dead workers stay listed this long, then drop (their log file stays). */
  public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofMinutes(10);

  /**
   * Spawns that run at once on one hive: each loads a model (disk, memory, CPU at once), so
   * a burst of them is spread out; two still let a slow load not hold up every other one.
   */
  public static final int DEFAULT_MAX_SPAWNS = 2;

  public WorkerSettings {
    Objects.requireNonNull(hiveId, "hiveId");
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(deadRetention, "deadRetention");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(nativeRoot, "nativeRoot");
    Objects.requireNonNull(token, "token");
    LlamaThreads.check("threads", threads);
    if (maxSpawns < 1) {
      throw new IllegalArgumentException("maxSpawns must be >= 1, got " + maxSpawns);
    }
    Objects.requireNonNull(host, "host");
    if (maxWorkers < 0) {
      throw new IllegalArgumentException("maxWorkers must be >= 0, got " + maxWorkers);
    }
    Objects.requireNonNull(keepAlive, "keepAlive");
  }

  /**
   * Settings with the real worker program, the default retention, this machine's default
   * thread count, {@link #DEFAULT_MAX_SPAWNS}, and native folders beside {@code logDir}
   * ({@code <logDir>-native}; the hive points them into its state folder instead).
   */
  public static WorkerSettings of(
      String hiveId, Path logDir, Path llamaLibDir, Duration readyTimeout, AccessToken token) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, DEFAULT_DEAD_RETENTION,
        WORKER_MAIN, logDir.resolveSibling(logDir.getFileName() + "-native"),
        LlamaThreads.machineDefault(), DEFAULT_MAX_SPAWNS, token,
        "127.0.0.1", 0, KeepAlive.DEFAULT);
  }

  /** {@code http://<host>:<port>}: where a worker on {@code port} answers. */
  public String url(int port) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The folder the worker {@code workerId} extracts llama.cpp into. */
  public Path nativeDir(String workerId) {
    return nativeRoot.resolve(workerId);
  }

  public WorkerSettings withMainClass(String mainClass) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withReadyTimeout(Duration readyTimeout) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withDeadRetention(Duration deadRetention) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withLlamaLibDir(Path llamaLibDir) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withNativeRoot(Path nativeRoot) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withThreads(int threads) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  /** Workers bind {@code host} and are reached there. */
  public WorkerSettings withHost(String host) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  public WorkerSettings withMaxSpawns(int maxSpawns) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  /** At most {@code maxWorkers} loaded at once (0: no limit). */
  public WorkerSettings withMaxWorkers(int maxWorkers) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }

  /** Workers stay loaded {@code keepAlive} once idle unless a request says otherwise. */
  public WorkerSettings withKeepAlive(KeepAlive keepAlive) {
    return new WorkerSettings(hiveId, logDir, llamaLibDir, readyTimeout, deadRetention, mainClass,
        nativeRoot, threads, maxSpawns, token, host, maxWorkers, keepAlive);
  }
}
