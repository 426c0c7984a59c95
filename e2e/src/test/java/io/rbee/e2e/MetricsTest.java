package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.metrics.MetricsText;
import io.rbee.testkit.metrics.Promtool;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real queen, the hive it started and that hive's worker, after a
 * download and one Infer: each is Prometheus text that {@code promtool check metrics} accepts,
 * its counters moved with exactly those jobs, and none is served without the token.
 */
class MetricsTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(30)).build();
  private static final String MODEL = "story.gguf";

  @TempDir static Path home;
  static FileServer files;
  static long modelBytes;
  static Daemon queen;
  static String hiveUrl;
  static WorkerInfo worker;
  static long tokensOut;

  @BeforeAll
  static void downloadAndInfer() throws Exception {
    Path model = TinyModels.demo(Files.createDirectories(home.resolve("source")));
    byte[] bytes = Files.readAllBytes(model);
    modelBytes = bytes.length;
    files = FileServer.start();
    files.serve("/models/" + MODEL, bytes);
    queen = Daemon.queen(home);
    JobClient client = queen.client();
    succeed(client, new Operation.HiveStart("localhost", FreePorts.next()));
    hiveUrl = JobRunResults.hiveInfo(client, "localhost").url();
    succeed(client, new Operation.ModelDownload("localhost",
        files.url("/models/" + MODEL).toString()));
    JobRun infer = succeed(client, new Operation.Infer(null, MODEL, "Once upon a time", 8, 0.0,
        null, null, null, null));
    tokensOut = ((Number) infer.done().stats().get("tokens_out")).longValue();
    worker = JobRunResults.lastResult(succeed(client, new Operation.WorkerList("localhost")),
        WorkerInfo[].class)[0];
  }

  @AfterAll
  static void stop() {
    if (queen != null) {
      queen.close();
    }
    if (files != null) {
      files.close();
    }
  }

  @Test
  void theQueenCountsTheInferItScheduledAndTheHiveThatBeats() throws Exception {
    MetricsText m = scrape(queen.url());

    assertThat(m.value("rbee_jobs_total", "daemon", "queen", "operation", "Infer",
        "status", "succeeded")).isEqualTo(1);
    assertThat(m.value("rbee_jobs_total", "daemon", "queen", "operation", "ModelDownload",
        "status", "succeeded")).isEqualTo(1);
    assertThat(m.value("rbee_job_duration_seconds_count", "daemon", "queen",
        "operation", "Infer")).isEqualTo(1);
    assertThat(m.value("rbee_time_to_first_token_seconds_count", "daemon", "queen",
        "model", MODEL)).isEqualTo(1);
    assertThat(m.value("rbee_tokens_per_second_count", "daemon", "queen", "model", MODEL))
        .isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "queen", "queue", "infer"))
        .isEqualTo(1);
    assertThat(m.value("rbee_queue_depth", "daemon", "queen", "queue", "infer", "model", MODEL))
        .isZero();
    assertThat(m.value("rbee_jobs_running", "daemon", "queen")).isZero();
    assertThat(m.value("rbee_hives", "liveness", "fresh")).isEqualTo(1);
    assertThat(m.value("rbee_hives", "liveness", "stale")).isZero();
    assertThat(m.matching("rbee_hive_heartbeat_age_seconds", "hive", "localhost"))
        .singleElement().satisfies(s -> assertThat(s.value()).isBetween(0.0, 30.0));
    assertThat(m.value("rbee_job_events_relayed_total", "daemon", "queen")).isPositive();
    assertThat(m.value("rbee_job_events_sent_total", "daemon", "queen")).isPositive();
    // tokens are counted where they are generated, not again where they are relayed
    assertThat(m.has("rbee_tokens_generated_total")).isFalse();
  }

  @Test
  void theHiveCountsTheBytesItDownloadedAndItsWorkersByState() throws Exception {
    MetricsText m = scrape(hiveUrl);

    assertThat(m.value("rbee_download_bytes_total")).isEqualTo(modelBytes);
    assertThat(m.value("rbee_workers", "hive", "localhost", "state", "ready")).isEqualTo(1);
    assertThat(m.value("rbee_workers", "hive", "localhost", "state", "failed")).isZero();
    assertThat(m.value("rbee_jobs_total", "daemon", "hive", "operation", "ModelDownload",
        "status", "succeeded")).isEqualTo(1);
    assertThat(m.value("rbee_jobs_total", "daemon", "hive", "operation", "WorkerSpawn",
        "status", "succeeded")).isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "hive", "queue", "download"))
        .isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "hive", "queue", "spawn"))
        .isEqualTo(1);
  }

  @Test
  void theWorkerCountsTheTokensTheInferGenerated() throws Exception {
    MetricsText m = scrape(worker.url());

    assertThat(tokensOut).isPositive();
    assertThat(m.value("rbee_tokens_generated_total", "model", MODEL)).isEqualTo(tokensOut);
    assertThat(m.value("rbee_jobs_total", "daemon", "worker", "operation", "Infer",
        "status", "succeeded")).isEqualTo(1);
    assertThat(m.value("rbee_time_to_first_token_seconds_count", "daemon", "worker",
        "model", MODEL)).isEqualTo(1);
    assertThat(m.value("rbee_tokens_per_second_count", "daemon", "worker", "model", MODEL))
        .isEqualTo(1);
    assertThat(m.value("rbee_queue_wait_seconds_count", "daemon", "worker",
        "queue", "generation")).isEqualTo(1);
    assertThat(m.value("rbee_queue_depth", "daemon", "worker", "queue", "generation",
        "model", MODEL)).isZero();
    assertThat(m.value("rbee_job_streams_active", "daemon", "worker")).isZero();
    assertThat(m.value("rbee_job_events_sent_total", "daemon", "worker")).isPositive();
  }

  @Test
  void noDaemonServesItsMetricsWithoutTheToken() throws Exception {
    for (String url : new String[] {queen.url(), hiveUrl, worker.url()}) {
      try (Response r = HTTP.newCall(new Request.Builder().url(url + "/metrics").build())
          .execute()) {
        assertThat(r.code()).as(url).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).as(url).startsWith("Bearer");
      }
      try (Response r = HTTP.newCall(new Request.Builder().url(url + "/metrics")
          .header("Authorization", "Bearer not-the-token").build()).execute()) {
        assertThat(r.code()).as(url).isEqualTo(401);
      }
    }
  }

  @Test
  void everyMetricADaemonServesIsDocumented() throws Exception {
    String operations = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
    for (String url : new String[] {queen.url(), hiveUrl, worker.url()}) {
      for (String line : scrape(url).text().split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String name = line.split(" ")[2];
          assertThat(operations).as("docs/OPERATIONS.md \"Metrics\" must list " + name)
              .contains("| `" + name + "` |");
        }
      }
    }
  }

  /** The daemon's metrics, with the token, checked by promtool. */
  private static MetricsText scrape(String url) throws Exception {
    try (Response r = HTTP.newCall(new Request.Builder().url(url + "/metrics")
        .header("Authorization", queen.token().authorization()).build()).execute()) {
      String body = r.body().string();
      assertThat(r.code()).as(body).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      Promtool.checkMetrics(body);
      return MetricsText.parse(body);
    }
  }

  private static JobRun succeed(JobClient client, Operation op) throws Exception {
    JobRun run = JobRun.of(client, op);
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    return run;
  }
}
