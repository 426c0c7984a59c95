package io.rbee.jobs.server;

import static io.rbee.jobs.metrics.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.metrics.InferenceMetrics;
import io.rbee.jobs.metrics.LiveGauge;
import io.rbee.jobs.metrics.Metrics;
import io.rbee.jobs.metrics.QueueMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every daemon's GET /metrics, and that its numbers move with the jobs it runs. */
class DaemonMetricsTest {
  // a daemon name of its own: other tests in this JVM count under theirs
  private static final String DAEMON = "metricsd";

  private final Gate slot = new Gate("the test slot", 1).timed(DAEMON, "generation");
  private final DaemonServer server = DaemonServer.of(
      JobServer.Options.of(DAEMON, Set.of("HiveCheck", "Infer")), this::run, TestToken.TOKEN)
      .start("127.0.0.1", 0);
  private final JobClient client = new JobClient(server.baseUrl(), TestToken.TOKEN);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);
  private final LiveGauge.Registration depth = QueueMetrics.DEPTH.track(sink ->
      sink.value(slot.waiting(), DAEMON, "generation", "held-model"));

  private void run(Operation op, JobContext job) throws Exception {
    if (op instanceof Operation.Infer infer) {
      Gate.Permit permit = slot.enter(job);
      try (InferenceMetrics.Observed o = InferenceMetrics.observe(job, DAEMON, infer.model(),
          true)) {
        if ("hold".equals(infer.prompt())) {
          held.countDown();
          release.await();
        }
        o.job().token("Hello");
        o.job().token(" world");
        o.job().stats(Map.of("tokens_out", 2, "tokens_per_second", 40.0));
      } finally {
        permit.close();
      }
      return;
    }
    if ("fail-me".equals(((Operation.HiveCheck) op).hiveId())) {
      throw new OperationException(ErrorKind.UNSUPPORTED_OPERATION, "told to fail");
    }
    job.narrate("check").human("fine").emit();
  }

  @AfterEach
  void close() {
    release.countDown();
    depth.close();
    server.close();
  }

  @Test
  void aJobThatEndsCountsByOperationAndStatusWithItsDuration() throws Exception {
    double ok = value("rbee_jobs_total", "daemon", DAEMON, "operation", "HiveCheck",
        "status", "succeeded");
    double failed = value("rbee_jobs_total", "daemon", DAEMON, "operation", "HiveCheck",
        "status", "failed");
    double durations = value("rbee_job_duration_seconds", "daemon", DAEMON,
        "operation", "HiveCheck");

    follow(server.jobs().submit(new Operation.HiveCheck(null)));
    follow(server.jobs().submit(new Operation.HiveCheck("fail-me")));

    assertThat(value("rbee_jobs_total", "daemon", DAEMON, "operation", "HiveCheck",
        "status", "succeeded")).isEqualTo(ok + 1);
    assertThat(value("rbee_jobs_total", "daemon", DAEMON, "operation", "HiveCheck",
        "status", "failed")).isEqualTo(failed + 1);
    assertThat(value("rbee_job_duration_seconds", "daemon", DAEMON, "operation", "HiveCheck"))
        .isEqualTo(durations + 2);
    assertThat(value("rbee_jobs_running", "daemon", DAEMON)).isZero();
  }

  @Test
  void streamsCountTheEventsTheySentAndCloseTheirGauge() throws Exception {
    double sent = value("rbee_job_events_sent_total", "daemon", DAEMON);

    Done done = follow(server.jobs().submit(new Operation.HiveCheck(null)));

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    // the narration and done at least
    assertThat(value("rbee_job_events_sent_total", "daemon", DAEMON)).isGreaterThanOrEqualTo(
        sent + 2);
    assertThat(value("rbee_job_streams_active", "daemon", DAEMON)).isZero();
  }

  @Test
  void aGenerationCountsItsTokensFirstTokenRateAndQueueWait() throws Exception {
    String model = "metrics-model";
    double tokens = value("rbee_tokens_generated_total", "model", model);
    double waits = value("rbee_queue_wait_seconds", "daemon", DAEMON, "queue", "generation");
    double firsts = value("rbee_time_to_first_token_seconds", "daemon", DAEMON, "model", model);
    double rates = value("rbee_tokens_per_second", "daemon", DAEMON, "model", model);

    follow(server.jobs().submit(
        new Operation.Infer(null, model, "hi", null, null, null, null, null, null)));

    assertThat(value("rbee_tokens_generated_total", "model", model)).isEqualTo(tokens + 2);
    assertThat(value("rbee_time_to_first_token_seconds", "daemon", DAEMON, "model", model))
        .isEqualTo(firsts + 1);
    assertThat(value("rbee_tokens_per_second", "daemon", DAEMON, "model", model))
        .isEqualTo(rates + 1);
    assertThat(value("rbee_queue_wait_seconds", "daemon", DAEMON, "queue", "generation"))
        .isEqualTo(waits + 1);
  }

  @Test
  void aJobWaitingForTheSlotIsInTheQueueDepthUntilItGetsThrough() throws Exception {
    Submitted holder = server.jobs().submit(
        new Operation.Infer(null, "held-model", "hold", null, null, null, null, null, null));
    // jobs start on threads of their own: submitted first is not in the slot first
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    Submitted waiter = server.jobs().submit(
        new Operation.Infer(null, "held-model", "hi", null, null, null, null, null, null));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> value("rbee_queue_depth",
        "daemon", DAEMON, "queue", "generation", "model", "held-model") == 1);
    assertThat(value("rbee_jobs_running", "daemon", DAEMON, "operation", "Infer"))
        .isEqualTo(2);
    release.countDown();
    follow(holder);
    follow(waiter);

    assertThat(value("rbee_queue_depth", "daemon", DAEMON, "queue", "generation",
        "model", "held-model")).isZero();
    assertThat(value("rbee_jobs_running", "daemon", DAEMON, "operation", "Infer")).isZero();
  }

  @Test
  void metricsAreTheTextFormatBehindTheToken() throws Exception {
    follow(server.jobs().submit(new Operation.HiveCheck(null)));

    Http.Answer scrape = Http.get(server.baseUrl() + "/metrics");
    Http.Answer anonymous = Http.send(new Request.Builder()
        .url(server.baseUrl() + "/metrics").header("Authorization", "").build());

    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.contentType()).isEqualTo(Metrics.CONTENT_TYPE)
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.body())
        .contains("# TYPE rbee_jobs_total counter")
        .containsPattern("rbee_jobs_total\\{daemon=\"metricsd\",operation=\"HiveCheck\","
            + "status=\"succeeded\"} \\d")
        .contains("# TYPE rbee_job_duration_seconds histogram")
        .contains("rbee_narrations_dropped_total ");
    assertThat(anonymous.status()).isEqualTo(401);
  }

  private Done follow(Submitted job) throws Exception {
    return client.follow(job.jobId(), 0, e -> { });
  }
}
