package io.rbee.bench.fanout;

/**
 * One run of one path at one follower count: how many connected and got everything, delivery
 * latency percentiles over every event of every follower, the server's peak resident memory and
 * thread count, its heap after the flood (-1 unknown), and the queen's {@code /health} latency
 * while it ran.
 */
public record FanoutRun(
    String path,
    int followers,
    int connected,
    int complete,
    double connectSeconds,
    double p50Ms,
    double p99Ms,
    long peakRssBytes,
    long peakThreads,
    long heapUsedBytes,
    double healthP50Ms,
    double healthMaxMs) {}
