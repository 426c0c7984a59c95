package io.rbee.bench.relay;

import io.rbee.bench.report.Samples;

/**
 * What one follower saw of one flood: {@code events} flood narrations, the emit instant of the
 * first and last (their {@code timestamp}s, taken by the hive at emit), the instant the last one
 * arrived, and each event's latency (emit → arrival at the follower) in milliseconds. Instants
 * are epoch nanoseconds of the wall clock, which hive and follower share on one machine.
 */
public record FloodRun(String path, FloodPlan plan, int events, long firstEmitNanos,
    long lastEmitNanos, long lastArrivalNanos, Samples latencyMs) {

  /** Events per second end to end: from the first emit until the follower has the last one. */
  public double throughput() {
    return events / ((lastArrivalNanos - firstEmitNanos) / 1e9);
  }

  /** Events per second the hive emitted at (first emit → last emit). */
  public double emitRate() {
    return events <= 1 ? Double.NaN : (events - 1) / ((lastEmitNanos - firstEmitNanos) / 1e9);
  }
}
