package io.rbee.jobs.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The process's metrics registry and its exposition. A daemon process has one registry: the
 * queen in integrated mode hosts a hive too, and what each part counts is told apart by a
 * {@code daemon} label (or a {@code hive} label) where it matters, never by a second registry.
 *
 * <p>Metric families register themselves once, when their class is first used (a worker never
 * loads the hive's), so a scrape lists what this process does. Thread-safe.
 */
public final class Metrics {
  /** The Prometheus text format, version 0.0.4, what {@code GET /metrics} answers. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

  private Metrics() {}

  /** The registry every rbee metric of this process is in. */
  public static PrometheusRegistry registry() {
    return REGISTRY;
  }

  /** Every metric of this process now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public static byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      TEXT.write(out, REGISTRY.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  /** Upper bounds (seconds) for durations from milliseconds to half an hour. */
  static final double[] SECONDS = {
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}
