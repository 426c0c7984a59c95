package io.rbee.jobs;

/**
 * A worker as its hive reports it. {@code state}: starting, ready, stopping, stopped, failed.
 * {@code url} is where its job API answers ({@code http://127.0.0.1:9301}); {@code exit_code}
 * is set once the process ended; {@code threads} is how many CPU threads its llama.cpp computes
 * with. {@code busy} (its generation slot is taken) and {@code queue_depth} (jobs waiting at
 * the worker for it) are what the worker's {@code /health} said when the hive last asked; null
 * when unknown (not ready, or not asked yet). So are {@code idle_ms} (milliseconds since its
 * last job ended; 0 while a job runs or waits there) and {@code keep_alive_ms} (how long it
 * stays loaded once idle, -1 for ever): the hive stops it once {@code idle_ms >= keep_alive_ms}.
 * {@code tokens_per_second} is the generation speed of the last {@code Infer} the queen saw
 * finish on it (the worker's {@code done} stats); only the queen's {@code GET /v1/cluster}
 * fills it, null elsewhere and before the worker's first generation.
 */
public record WorkerInfo(
    String workerId,
    String hiveId,
    String model,
    String device,
    String state,
    Long pid,
    Integer port,
    String url,
    String startedAt,
    String logFile,
    Integer exitCode,
    Integer threads,
    Boolean busy,
    Integer queueDepth,
    Long idleMs,
    Long keepAliveMs,
    Double tokensPerSecond) {

  /** A worker whose generation speed is not known (what hives report). */
  public WorkerInfo(String workerId, String hiveId, String model, String device, String state,
      Long pid, Integer port, String url, String startedAt, String logFile, Integer exitCode,
      Integer threads, Boolean busy, Integer queueDepth, Long idleMs, Long keepAliveMs) {
    this(workerId, hiveId, model, device, state, pid, port, url, startedAt, logFile, exitCode,
        threads, busy, queueDepth, idleMs, keepAliveMs, null);
  }

  /** The same worker with its load as its {@code /health} reported it. */
  public WorkerInfo withLoad(Boolean busy, Integer queueDepth) {
    return withLoad(busy, queueDepth, idleMs, keepAliveMs);
  }

  /** The same worker with its load and idleness as its {@code /health} reported them. */
  public WorkerInfo withLoad(Boolean busy, Integer queueDepth, Long idleMs, Long keepAliveMs) {
    return new WorkerInfo(workerId, hiveId, model, device, state, pid, port, url, startedAt,
        logFile, exitCode, threads, busy, queueDepth, idleMs, keepAliveMs, tokensPerSecond);
  }

  /** The same worker with the queen's last measured generation speed (null: unknown). */
  public WorkerInfo withTokensPerSecond(Double rate) {
    return new WorkerInfo(workerId, hiveId, model, device, state, pid, port, url, startedAt,
        logFile, exitCode, threads, busy, queueDepth, idleMs, keepAliveMs, rate);
  }
}
