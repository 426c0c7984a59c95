/**
 * What a daemon counts about itself and serves as {@code GET /metrics} in the Prometheus text
 * format: one registry per process ({@link Metrics}), the job server's figures
 * ({@link JobMetrics}), generations ({@link InferenceMetrics}), queues ({@link QueueMetrics}),
 * and gauges that read live state at each scrape ({@link LiveGauge}).
 */
package io.rbee.jobs.metrics;
