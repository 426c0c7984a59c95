package io.rbee.jobs.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.rbee.narration.Broadcaster;

/**
 * What a daemon's job server counts, labelled with the daemon ({@code queen}, {@code hive},
 * {@code worker}): jobs by operation and final status, their durations, the jobs running, the
 * open event streams, the events those streams sent, relayed and lost, and the followers cut.
 *
 * <p>One instance per job server holds the data points of its daemon, looked up once, so the
 * hot paths (an event written to a follower) cost one adder increment, no lookup, no lock.
 * Thread-safe.
 */
public final class JobMetrics {
  private static final Counter JOBS = Counter.builder()
      .name("rbee_jobs_total")
      .help("Jobs that ended, by daemon, operation and final status (succeeded, failed,"
          + " cancelled)")
      .labelNames("daemon", "operation", "status")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Histogram DURATION = Histogram.builder()
      .name("rbee_job_duration_seconds")
      .help("How long jobs took from submission to their end (done), by daemon and operation")
      .labelNames("daemon", "operation")
      .classicOnly()
      .classicUpperBounds(Metrics.SECONDS)
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Gauge RUNNING = Gauge.builder()
      .name("rbee_jobs_running")
      .help("Jobs running now (waiting for a resource included), by daemon and operation")
      .labelNames("daemon", "operation")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Gauge STREAMS = Gauge.builder()
      .name("rbee_job_streams_active")
      .help("Open job event streams (SSE followers) by daemon")
      .labelNames("daemon")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Counter SENT = Counter.builder()
      .name("rbee_job_events_sent_total")
      .help("Job events written to followers by daemon (an event sent to two followers counts"
          + " twice)")
      .labelNames("daemon")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Counter RELAYED = Counter.builder()
      .name("rbee_job_events_relayed_total")
      .help("Events relayed into this daemon's jobs from another daemon's job stream")
      .labelNames("daemon")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Counter LOST = Counter.builder()
      .name("rbee_job_events_lost_total")
      .help("Job events followers of this daemon missed because the job's history no longer"
          + " held them (each announced by a gap event)")
      .labelNames("daemon")
      .withoutExemplars()
      .register(Metrics.registry());

  private static final Counter CUT = Counter.builder()
      .name("rbee_job_followers_cut_total")
      .help("Followers of this daemon's jobs cut because they did not keep up (too far behind,"
          + " or a write blocked too long); each may resume with Last-Event-ID")
      .labelNames("daemon")
      .withoutExemplars()
      .register(Metrics.registry());

  static {
    CounterWithCallback.builder()
        .name("rbee_narrations_dropped_total")
        .help("Narrations of this process dropped because their job had no channel (any more)")
        .callback(cb -> cb.call(Broadcaster.global().dropped()))
        .register(Metrics.registry());
  }

  private final String daemon;
  private final GaugeDataPoint streams;
  private final CounterDataPoint sent;
  private final CounterDataPoint relayed;
  private final CounterDataPoint lost;
  private final CounterDataPoint cut;

  private JobMetrics(String daemon) {
    this.daemon = daemon;
    this.streams = STREAMS.labelValues(daemon);
    this.sent = SENT.labelValues(daemon);
    this.relayed = RELAYED.labelValues(daemon);
    this.lost = LOST.labelValues(daemon);
    this.cut = CUT.labelValues(daemon);
  }

  /** The job metrics of {@code daemon}'s job server. */
  public static JobMetrics of(String daemon) {
    return new JobMetrics(daemon);
  }

  public String daemon() {
    return daemon;
  }

  /** A job of {@code operation} started running. */
  public void started(String operation) {
    RUNNING.labelValues(daemon, operation).inc();
  }

  /** A job that {@link #started} stopped running (it ends right after). */
  public void stopped(String operation) {
    RUNNING.labelValues(daemon, operation).dec();
  }

  /** A job ended with {@code status} (its wire name) {@code seconds} after it was submitted. */
  public void ended(String operation, String status, double seconds) {
    JOBS.labelValues(daemon, operation, status).inc();
    DURATION.labelValues(daemon, operation).observe(seconds);
  }

  /** A follower's stream opened; {@link #streamClosed()} when it ends. */
  public void streamOpened() {
    streams.inc();
  }

  public void streamClosed() {
    streams.dec();
  }

  /** {@code events} were written to one follower. */
  public void sent(long events) {
    sent.inc(events);
  }

  /** One event came from another daemon's job into one of this daemon's jobs. */
  public void relayed() {
    relayed.inc();
  }

  /** A follower missed {@code events} (a gap). */
  public void lost(long events) {
    lost.inc(events);
  }

  /** A follower that did not keep up was cut. */
  public void followerCut() {
    cut.inc();
  }
}
