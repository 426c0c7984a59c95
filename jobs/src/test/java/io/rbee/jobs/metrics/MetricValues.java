package io.rbee.jobs.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Reads this JVM's metrics as a scrape would see them: the sum over the series of {@code name}
 * whose labels include the given pairs (a counter's or gauge's value, a histogram's count).
 */
public final class MetricValues {
  private MetricValues() {}

  /** {@code name} as exposed ({@code rbee_jobs_total}); {@code labels}: name, value, ... */
  public static double value(String name, String... labels) {
    double sum = 0;
    for (MetricSnapshot m : Metrics.registry().scrape()) {
      String base = m.getMetadata().getPrometheusName();
      if (!name.equals(base) && !name.equals(base + "_total")) {
        continue;
      }
      for (DataPointSnapshot p : m.getDataPoints()) {
        if (matches(p.getLabels(), labels)) {
          sum += switch (p) {
            case CounterSnapshot.CounterDataPointSnapshot c -> c.getValue();
            case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getValue();
            case HistogramSnapshot.HistogramDataPointSnapshot h -> h.getCount();
            default -> 0;
          };
        }
      }
    }
    return sum;
  }

  private static boolean matches(Labels have, String... want) {
    for (int i = 0; i + 1 < want.length; i += 2) {
      if (!want[i + 1].equals(have.get(want[i]))) {
        return false;
      }
    }
    return true;
  }
}
