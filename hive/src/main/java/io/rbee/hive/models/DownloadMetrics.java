package io.rbee.hive.models;

import io.prometheus.metrics.core.metrics.Counter;
import io.rbee.jobs.metrics.Metrics;

/** Bytes this process's hive received for model downloads ({@code rbee_download_bytes_total}). */
final class DownloadMetrics {
  static final Counter BYTES = Counter.builder()
      .name("rbee_download_bytes_total")
      .help("Bytes of model files this hive received while downloading (resumed parts count"
          + " once, when they arrive)")
      .withoutExemplars()
      .register(Metrics.registry());

  private DownloadMetrics() {}
}
