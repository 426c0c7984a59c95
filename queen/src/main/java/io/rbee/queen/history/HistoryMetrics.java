package io.rbee.queen.history;

import io.prometheus.metrics.core.metrics.Counter;
import io.rbee.jobs.metrics.Metrics;

/** What the job history tells {@code GET /metrics}: events it could not store. */
final class HistoryMetrics {
  /** Events not stored because the history's writer fell behind (each a gap in a replay). */
  static final Counter DROPPED = Counter.builder()
      .name("rbee_history_events_dropped_total")
      .help("Job events the queen's job history did not store because its writer fell behind"
          + " (a replay of their job shows a gap there)")
      .withoutExemplars()
      .register(Metrics.registry());

  private HistoryMetrics() {}
}
