package io.rbee.hive;

import io.rbee.hive.models.ModelOperations;
import io.rbee.hive.workers.WorkerSettings;
import io.rbee.jobs.InvalidOperationException;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.limits.LlamaThreads;
import java.util.Objects;

/**
 * What one hive gives out at once, and how long it keeps its workers, each with a documented
 * default (docs/OPERATIONS.md, "Limits"), a hive option and an environment variable:
 *
 * @param workerThreads llama.cpp threads of a worker whose spawn names none
 *     ({@code --worker-threads}, {@code RBEE_WORKER_THREADS}; default half the cores, at least 1)
 * @param maxSpawns worker spawns that run at once ({@code --max-spawns},
 *     {@code RBEE_MAX_SPAWNS}; default {@value WorkerSettings#DEFAULT_MAX_SPAWNS})
 * @param maxDownloads model downloads that run at once ({@code --max-downloads},
 *     {@code RBEE_MAX_DOWNLOADS}; default {@value ModelOperations#DEFAULT_MAX_DOWNLOADS})
 * @param maxWorkers workers loaded at once ({@code --max-workers}, {@code RBEE_MAX_WORKERS};
 *     default 0, no limit): a spawn at the limit unloads the least recently used idle worker
 * @param workerKeepAlive how long a worker stays loaded once idle unless a request says
 *     otherwise ({@code --keep-alive}, {@code RBEE_KEEP_ALIVE}; default
 *     {@link KeepAlive#DEFAULT}, 5m)
 */
public record HiveLimits(int workerThreads, int maxSpawns, int maxDownloads, int maxWorkers,
    KeepAlive workerKeepAlive) {
  public static final String THREADS_ENV = "RBEE_WORKER_THREADS";
  public static final String SPAWNS_ENV = "RBEE_MAX_SPAWNS";
  public static final String DOWNLOADS_ENV = "RBEE_MAX_DOWNLOADS";
  public static final String WORKERS_ENV = "RBEE_MAX_WORKERS";
  public static final String KEEP_ALIVE_ENV = "RBEE_KEEP_ALIVE";

  public HiveLimits {
    LlamaThreads.check("worker threads", workerThreads);
    positive("max spawns", maxSpawns);
    positive("max downloads", maxDownloads);
    if (maxWorkers < 0) {
      throw new IllegalArgumentException("max workers must be >= 0 (0: no limit), got "
          + maxWorkers);
    }
    Objects.requireNonNull(workerKeepAlive, "workerKeepAlive");
  }

  /** No limit on loaded workers, and the default keep-alive. */
  public HiveLimits(int workerThreads, int maxSpawns, int maxDownloads) {
    this(workerThreads, maxSpawns, maxDownloads, 0, KeepAlive.DEFAULT);
  }

  /** The built-in defaults for this machine. */
  public static HiveLimits defaults() {
    return new HiveLimits(LlamaThreads.machineDefault(), WorkerSettings.DEFAULT_MAX_SPAWNS,
        ModelOperations.DEFAULT_MAX_DOWNLOADS);
  }

  /** The defaults, each replaced by its environment variable when that is set. */
  public static HiveLimits fromEnv() {
    HiveLimits d = defaults();
    String keepAlive = System.getenv(KEEP_ALIVE_ENV);
    return new HiveLimits(env(THREADS_ENV, d.workerThreads()), env(SPAWNS_ENV, d.maxSpawns()),
        env(DOWNLOADS_ENV, d.maxDownloads()), env(WORKERS_ENV, d.maxWorkers()),
        keepAlive == null || keepAlive.isBlank() ? d.workerKeepAlive()
            : keepAlive(KEEP_ALIVE_ENV, keepAlive));
  }

  public HiveLimits withWorkerThreads(int v) {
    return new HiveLimits(v, maxSpawns, maxDownloads, maxWorkers, workerKeepAlive);
  }

  public HiveLimits withMaxSpawns(int v) {
    return new HiveLimits(workerThreads, v, maxDownloads, maxWorkers, workerKeepAlive);
  }

  public HiveLimits withMaxDownloads(int v) {
    return new HiveLimits(workerThreads, maxSpawns, v, maxWorkers, workerKeepAlive);
  }

  public HiveLimits withMaxWorkers(int v) {
    return new HiveLimits(workerThreads, maxSpawns, maxDownloads, v, workerKeepAlive);
  }

  public HiveLimits withWorkerKeepAlive(KeepAlive v) {
    return new HiveLimits(workerThreads, maxSpawns, maxDownloads, maxWorkers, v);
  }

  /**
   * {@code raw} read as a {@link KeepAlive}, or an {@link IllegalArgumentException} naming
   * {@code what} and what is accepted.
   */
  static KeepAlive keepAlive(String what, String raw) {
    try {
      return KeepAlive.parse(raw);
    } catch (InvalidOperationException e) {
      throw new IllegalArgumentException(what + e.getMessage().substring("keep_alive".length()));
    }
  }

  /** {@code raw} as a whole number, or an {@link IllegalArgumentException} naming {@code what}. */
  static int parse(String what, String raw) {
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, got \"" + raw + "\"");
    }
  }

  private static int env(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : parse(name, v);
  }

  private static void positive(String what, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + n);
    }
  }
}
