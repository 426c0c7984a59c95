package io.rbee.jobs.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gauge whose values are read from live state at each scrape (a registry's workers, a
 * queue's length), never kept beside it. Each part of the process that holds such state
 * {@link #track tracks} a {@link Source} while it lives and closes the registration when it
 * stops.
 *
 * <p>Sources that report the same label values are added up (two daemons of one kind in one
 * JVM, as in tests), so a scrape never fails on duplicates; a source that throws is left out
 * of that scrape (logged), never fails it. Sources are called on the scraping thread and must
 * not block: they read what is already there. Thread-safe.
 */
public final class LiveGauge {
  /** Reports values of the gauge: {@code sink.value(3, "ready")}, labels in declared order. */
  @FunctionalInterface
  public interface Source {
    void report(Sink sink);
  }

  /** Where a {@link Source} reports. */
  @FunctionalInterface
  public interface Sink {
    void value(double value, String... labelValues);
  }

  /** Ends a {@link #track}: the source is no longer read. Idempotent. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static final Logger LOG = LoggerFactory.getLogger(LiveGauge.class);

  private final Set<Source> sources = ConcurrentHashMap.newKeySet();

  private LiveGauge(String name, String help, String... labelNames) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames)
        .callback(callback -> {
          Map<List<String>, double[]> sums = new LinkedHashMap<>();
          for (Source s : sources) {
            Map<List<String>, double[]> mine = new LinkedHashMap<>();
            try {
              s.report((value, labels) -> mine.computeIfAbsent(
                  Arrays.asList(labels.clone()), k -> new double[1])[0] += value);
            } catch (RuntimeException e) {
              LOG.warn("{}: a source failed and is left out of this scrape: {}", name,
                  e.toString());
              continue;
            }
            mine.forEach((labels, v) ->
                sums.computeIfAbsent(labels, k -> new double[1])[0] += v[0]);
          }
          sums.forEach((labels, sum) -> callback.call(sum[0], labels.toArray(String[]::new)));
        })
        .register(Metrics.registry());
  }

  /** Registers the gauge {@code name} in the process registry. */
  public static LiveGauge register(String name, String help, String... labelNames) {
    return new LiveGauge(name, help, labelNames);
  }

  /** Reads {@code source} at every scrape until the registration is closed. */
  public Registration track(Source source) {
    sources.add(source);
    return () -> sources.remove(source);
  }
}
