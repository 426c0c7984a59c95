package io.rbee.jobs.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * Queues of jobs waiting for something scarce ({@link io.rbee.jobs.limits.Gate}s): how many
 * wait now, by daemon, queue and model, read from the gates at each scrape ({@link #DEPTH}),
 * and how long each job waited ({@link #waits}).
 *
 * <p>The queues: {@code infer} (the queen's per-model queue for a worker slot),
 * {@code generation} (a worker's generation slot), {@code spawn} and {@code download} (a
 * hive's worker spawns and model downloads).
 */
public final class QueueMetrics {
  /** Jobs waiting now; labels {@code daemon, queue, model}. */
  public static final LiveGauge DEPTH = LiveGauge.register("rbee_queue_depth",
      "Jobs waiting now, by daemon, queue (infer: the queen's per-model queue of Infer and"
          + " Embed jobs for a worker slot; generation: a worker's generation slot) and model",
      "daemon", "queue", "model");

  private static final Histogram WAIT = Histogram.builder()
      .name("rbee_queue_wait_seconds")
      .help("How long jobs waited to get through a queue (0 when it was free), by daemon and"
          + " queue (infer, generation, spawn, download)")
      .labelNames("daemon", "queue")
      .classicOnly()
      .classicUpperBounds(Metrics.SECONDS)
      .withoutExemplars()
      .register(Metrics.registry());

  private QueueMetrics() {}

  /** Where the waits of {@code queue} on {@code daemon} are observed (seconds). */
  public static DistributionDataPoint waits(String daemon, String queue) {
    return WAIT.labelValues(daemon, queue);
  }
}
