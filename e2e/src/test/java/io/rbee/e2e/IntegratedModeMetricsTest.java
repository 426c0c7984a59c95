package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.metrics.MetricsText;
import io.rbee.testkit.metrics.Promtool;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queen that runs its hive in-process (integrated mode) serves both from one registry: its
 * own jobs under {@code daemon="queen"}, the hive's workers and queue waits under the hive's
 * labels.
 */
class IntegratedModeMetricsTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(30)).build();

  @TempDir Path home;
  Daemon queen;

  @AfterEach
  void stop() {
    if (queen != null) {
      queen.close();
    }
  }

  @Test
  void theQueenServesItsInProcessHivesMetricsBesideItsOwn() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    JobClient client = queen.client();
    succeed(client, new Operation.ModelDownload("localhost", "demo"));
    succeed(client, new Operation.Infer(null, "demo", "Once upon a time", 4, 0.0, null, null,
        null, null));

    String body;
    try (Response r = HTTP.newCall(new Request.Builder().url(queen.url() + "/metrics")
        .header("Authorization", queen.token().authorization()).build()).execute()) {
      body = r.body().string();
      assertThat(r.code()).as(body).isEqualTo(200);
    }
    Promtool.checkMetrics(body);
    MetricsText m = MetricsText.parse(body);

    assertThat(m.value("rbee_jobs_total", "daemon", "queen", "operation", "Infer",
        "status", "succeeded")).isEqualTo(1);
    // the hive's operations run inside the queen's jobs: no hive job server counts them
    assertThat(m.has("rbee_jobs_total", "daemon", "hive")).isFalse();
    assertThat(m.value("rbee_workers", "hive", "localhost", "state", "ready")).isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "hive", "queue", "spawn"))
        .isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "queen", "queue", "infer"))
        .isEqualTo(1);
    assertThat(m.value("rbee_hives", "liveness", "fresh")).isEqualTo(1);
  }

  private static void succeed(JobClient client, Operation op) throws Exception {
    JobRun run = JobRun.of(client, op);
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
  }
}
