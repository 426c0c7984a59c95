package io.rbee.hive;

import io.rbee.hive.models.ModelOperations;
import io.rbee.hive.workers.WorkerSettings;
import io.rbee.jobs.limits.LlamaThreads;

/**
 * What one hive gives out at once, each with a documented default (docs/OPERATIONS.md,
 * "Limits"), a hive option and an environment variable:
 *
 * @param workerThreads llama.cpp threads of a worker whose spawn names none
 *     ({@code --worker-threads}, {@code RBEE_WORKER_THREADS}; default half the cores, at least 1)
 * @param maxSpawns worker spawns that run at once ({@code --max-spawns},
 *     {@code RBEE_MAX_SPAWNS}; default {@value WorkerSettings#DEFAULT_MAX_SPAWNS})
 * @param maxDownloads model downloads that run at once ({@code --max-downloads},
 *     {@code RBEE_MAX_DOWNLOADS}; default {@value ModelOperations#DEFAULT_MAX_DOWNLOADS})
 */
public record HiveLimits(int workerThreads, int maxSpawns, int maxDownloads) {
  public static final String THREADS_ENV = "RBEE_WORKER_THREADS";
  public static final String SPAWNS_ENV = "RBEE_MAX_SPAWNS";
  public static final String DOWNLOADS_ENV = "RBEE_MAX_DOWNLOADS";

  public HiveLimits {
    LlamaThreads.check("worker threads", workerThreads);
    positive("max spawns", maxSpawns);
    positive("max downloads", maxDownloads);
  }

  /** The built-in defaults for this machine. */
  public static HiveLimits defaults() {
    return new HiveLimits(LlamaThreads.machineDefault(), WorkerSettings.DEFAULT_MAX_SPAWNS,
        ModelOperations.DEFAULT_MAX_DOWNLOADS);
  }

  /** The defaults, each replaced by its environment variable when that is set. */
  public static HiveLimits fromEnv() {
    HiveLimits d = defaults();
    return new HiveLimits(env(THREADS_ENV, d.workerThreads()), env(SPAWNS_ENV, d.maxSpawns()),
        env(DOWNLOADS_ENV, d.maxDownloads()));
  }

  public HiveLimits withWorkerThreads(int v) {
    return new HiveLimits(v, maxSpawns, maxDownloads);
  }

  public HiveLimits withMaxSpawns(int v) {
    return new HiveLimits(workerThreads, v, maxDownloads);
  }

  public HiveLimits withMaxDownloads(int v) {
    return new HiveLimits(workerThreads, maxSpawns, v);
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
