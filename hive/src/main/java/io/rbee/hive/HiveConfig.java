package io.rbee.hive;

import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one hive needs to know: its id, the installation's home, where a CUDA-enabled llama.cpp
 * library lives (null when none), how long a worker may take to load its model, what it
 * gives out at once ({@link HiveLimits}), the installation's access token (which its HTTP
 * API and its workers require), and the address its workers bind and are reached at
 * ({@code workerHost}: the hive's own bind address, so a queen on another machine can call
 * them; {@code 127.0.0.1} by default).
 */
public record HiveConfig(
    String hiveId, Path rbeeHome, Path llamaLibDir, Duration workerReadyTimeout,
    HiveLimits limits, AccessToken token, String workerHost) {

  /** Workers bind here unless the hive is told another address. */
  public static final String DEFAULT_WORKER_HOST = "127.0.0.1";

  /** A hive whose workers bind {@link #DEFAULT_WORKER_HOST}. */
  public HiveConfig(
      String hiveId, Path rbeeHome, Path llamaLibDir, Duration workerReadyTimeout,
      HiveLimits limits, AccessToken token) {
    this(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token, DEFAULT_WORKER_HOST);
  }

  /** The id of the hive on the queen's own machine. */
  public static final String LOCAL_HIVE_ID = "localhost";

  /** Workers get this long to load their model before the spawn fails. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(300);

  public HiveConfig {
    Objects.requireNonNull(hiveId, "hiveId");
    Objects.requireNonNull(rbeeHome, "rbeeHome");
    Objects.requireNonNull(workerReadyTimeout, "workerReadyTimeout");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(workerHost, "workerHost");
    if (hiveId.isBlank() || !hiveId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "hive id must be letters, digits, '.', '_' or '-', got \"" + hiveId + "\"");
    }
  }

  /**
   * The {@code localhost} hive of the installation at {@code rbeeHome}; the llama.cpp library
   * folder comes from {@code RBEE_LLAMA_LIB_DIR} when set, the limits from their environment
   * variables ({@link HiveLimits#fromEnv()}), the token from {@code RBEE_TOKEN} or {@code
   * rbeeHome/token} (created when missing, see {@link TokenFile#forDaemon}).
   */
  public static HiveConfig local(Path rbeeHome) {
    return new HiveConfig(LOCAL_HIVE_ID, rbeeHome, llamaLibDirFromEnv(), DEFAULT_READY_TIMEOUT,
        HiveLimits.fromEnv(), TokenFile.forDaemon(rbeeHome, System.getenv()));
  }

  /** {@code RBEE_LLAMA_LIB_DIR} as a path, or null when unset. */
  public static Path llamaLibDirFromEnv() {
    String env = System.getenv("RBEE_LLAMA_LIB_DIR");
    return env == null || env.isBlank() ? null : Path.of(env).toAbsolutePath();
  }

  /** This hive's state folder: {@code $RBEE_HOME/hives/<id>} (models live under it). */
  public Path stateDir() {
    return RbeeHome.hive(rbeeHome, hiveId);
  }

  /** Where worker logs go: {@code $RBEE_HOME/logs/workers}. */
  public Path workerLogDir() {
    return RbeeHome.logs(rbeeHome).resolve("workers");
  }

  /**
   * Where workers extract llama.cpp, one folder per worker id:
   * {@code $RBEE_HOME/hives/<id>/worker-native}. The hive deletes each when its worker's
   * process has exited, and sweeps the folder at start.
   */
  public Path workerNativeDir() {
    return stateDir().resolve("worker-native");
  }

  public HiveConfig withHiveId(String hiveId) {
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token,
        workerHost);
  }

  public HiveConfig withLlamaLibDir(Path llamaLibDir) {
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token,
        workerHost);
  }

  public HiveConfig withWorkerReadyTimeout(Duration workerReadyTimeout) {
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token,
        workerHost);
  }

  public HiveConfig withToken(AccessToken token) {
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token,
        workerHost);
  }

  /**
   * Workers bind {@code bind} and are reached there; a wildcard ({@code 0.0.0.0}, {@code ::})
   * keeps them on {@code 127.0.0.1}, since their URL must name one address.
   */
  public HiveConfig withWorkerHost(String bind) {
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? DEFAULT_WORKER_HOST : bind;
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token, host);
  }

  public HiveConfig withLimits(HiveLimits limits) {
    return new HiveConfig(hiveId, rbeeHome, llamaLibDir, workerReadyTimeout, limits, token,
        workerHost);
  }
}
