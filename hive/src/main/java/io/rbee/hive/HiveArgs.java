package io.rbee.hive;

import io.rbee.hive.heartbeats.Heartbeats;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The hive daemon's options, as picocli reads them into {@link HiveMain}: {@code --port N}
 * (default 9000), {@code --bind ADDR} (default 127.0.0.1), {@code --hive-id ID} (default
 * localhost), {@code --llama-lib DIR} (default: {@code RBEE_LLAMA_LIB_DIR}, else none), and the
 * {@link HiveLimits} ({@code --worker-threads N}, {@code --max-spawns N},
 * {@code --max-downloads N}, {@code --max-workers N}, {@code --keep-alive DURATION}; defaults
 * from their environment variables, else built in), and
 * the heartbeats ({@code --queen-url URL}, {@code --heartbeat-ms N}).
 */
final class HiveArgs {
  static final int DEFAULT_PORT = 9000;

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
      description = "port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--hive-id", paramLabel = "ID", defaultValue = HiveConfig.LOCAL_HIVE_ID,
      description = "this hive's id (default ${DEFAULT-VALUE})")
  String hiveId;

  @Option(names = "--llama-lib", paramLabel = "DIR",
      description = "folder with a CUDA-enabled libjllama.so (default $RBEE_LLAMA_LIB_DIR)")
  Path llamaLib;

  @Option(names = "--worker-threads", paramLabel = "N",
      description = "llama.cpp threads of a worker whose spawn names none (default"
          + " $RBEE_WORKER_THREADS, else half the cores, at least 1)")
  Integer workerThreads;

  @Option(names = "--max-spawns", paramLabel = "N",
      description = "worker spawns at once; more wait (default $RBEE_MAX_SPAWNS, else 2)")
  Integer maxSpawns;

  @Option(names = "--max-downloads", paramLabel = "N",
      description = "model downloads at once; more wait (default $RBEE_MAX_DOWNLOADS, else 2)")
  Integer maxDownloads;

  @Option(names = "--max-workers", paramLabel = "N",
      description = "workers loaded at once; a spawn at the limit unloads the least recently"
          + " used idle worker, or waits for one (default $RBEE_MAX_WORKERS, else 0: no limit)")
  Integer maxWorkers;

  @Option(names = "--keep-alive", paramLabel = "DURATION",
      description = "how long a worker stays loaded once idle unless a request says otherwise:"
          + " \"5m\", \"30s\", -1 never, 0 right after each request (default"
          + " $RBEE_KEEP_ALIVE, else 5m)")
  String keepAlive;

  @Option(names = "--queen-url", paramLabel = "URL",
      description = "send heartbeats to the queen at this URL (default $RBEE_QUEEN_URL; none:"
          + " no heartbeats)")
  String queenUrl;

  @Option(names = "--heartbeat-ms", paramLabel = "N",
      description = "milliseconds between heartbeats, 100..60000 (default $RBEE_HEARTBEAT_MS,"
          + " else 2000)")
  Integer heartbeatMs;

  /** {@code --queen-url}, else {@code RBEE_QUEEN_URL}, else null (no heartbeats). */
  String queenUrl() {
    String url = queenUrl != null ? queenUrl : System.getenv("RBEE_QUEEN_URL");
    if (url == null || url.isBlank()) {
      return null;
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("--queen-url must be an http(s) URL, got \"" + url
          + "\"");
    }
    return url.strip();
  }

  /**
   * {@code --heartbeat-ms}, else {@code RBEE_HEARTBEAT_MS}, else 2000; throws
   * {@link IllegalArgumentException} naming a value out of 100..60000.
   */
  Duration heartbeatInterval() {
    return Heartbeats.interval(heartbeatMs);
  }

  /** {@code --llama-lib} as an absolute path, else {@code RBEE_LLAMA_LIB_DIR}, else null. */
  Path llamaLibDir() {
    return llamaLib != null ? llamaLib.toAbsolutePath() : HiveConfig.llamaLibDirFromEnv();
  }

  /**
   * The limits: each option given wins over its environment variable, which wins over the
   * built-in default. Throws {@link IllegalArgumentException} naming a value out of range.
   */
  HiveLimits limits() {
    HiveLimits l = HiveLimits.fromEnv();
    if (workerThreads != null) {
      l = l.withWorkerThreads(workerThreads);
    }
    if (maxSpawns != null) {
      l = l.withMaxSpawns(maxSpawns);
    }
    if (maxDownloads != null) {
      l = l.withMaxDownloads(maxDownloads);
    }
    if (maxWorkers != null) {
      l = l.withMaxWorkers(maxWorkers);
    }
    if (keepAlive != null) {
      l = l.withWorkerKeepAlive(HiveLimits.keepAlive("--keep-alive", keepAlive));
    }
    return l;
  }
}
