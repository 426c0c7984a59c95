package io.rbee.jobs;

/**
 * A worker as its hive reports it. {@code state}: starting, ready, stopping, stopped, failed.
 * {@code url} is where its job API answers ({@code http://127.0.0.1:9301}); {@code exit_code}
 * is set once the process ended; {@code threads} is how many CPU threads its llama.cpp computes
 * with. {@code busy} (its generation slot is taken) and {@code queue_depth} (jobs waiting at
 * the worker for it) are what the worker's {@code /health} said when the hive last asked; null
 * when unknown (not ready, or not asked yet).
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
    Integer queueDepth) {

  /** The same worker with its load as its {@code /health} reported it. */
  public WorkerInfo withLoad(Boolean busy, Integer queueDepth) {
    return new WorkerInfo(workerId, hiveId, model, device, state, pid, port, url, startedAt,
        logFile, exitCode, threads, busy, queueDepth);
  }
}
