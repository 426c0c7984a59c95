package io.rbee.jobs;

/**
 * A worker as its hive reports it. {@code state}: starting, ready, stopping, stopped, failed.
 * {@code url} is where its job API answers ({@code http://127.0.0.1:9301}); {@code exit_code}
 * is set once the process ended; {@code threads} is how many CPU threads its llama.cpp computes
 * with.
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
    Integer threads) {}
