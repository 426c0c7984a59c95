package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.hive.workers.StandInWorkers;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.models.TinyModels;
import io.rbee.testkit.sse.SseRecorder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hive daemon's HTTP app on port 0, driven by the real job client and raw HTTP. */
class HiveAppTest {
  @TempDir Path home;
  private HiveApp app;
  private JobClient client;

  @BeforeEach
  void setUp() {
    app = new HiveApp(new Hive(HiveConfig.local(home).withHiveId("hive-a")))
        .start("127.0.0.1", 0);
    client = new JobClient(app.baseUrl(), token());
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  /** The installation's token, which the hive's every path but /health requires. */
  private AccessToken token() {
    return app.hive().config().token();
  }

  @Test
  void hiveCheckStreamsNarrationOfEveryStepThenSucceeds() throws Exception {
    List<SseEvent> events = new ArrayList<>();

    Done done = client.run(new Operation.HiveCheck("hive-a"), events::add);

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    List<Narration> narration = events.stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
    assertThat(narration).extracting(Narration::action)
        .contains("hive_check_start", "hive_check_home", "hive_check_devices",
            "hive_check_models", "hive_check_workers", "hive_check_done");
    assertThat(narration).filteredOn(n -> n.action().startsWith("hive_check_"))
        .allSatisfy(n -> {
          assertThat(n.hiveId()).isEqualTo("hive-a");
          assertThat(n.jobId()).isEqualTo(done.jobId());
        });
    HiveCheckReport report = events.stream().filter(e -> e.event().equals(JobEvent.RESULT))
        .map(e -> Json.read(e.data(), HiveCheckReport.class)).findFirst().orElseThrow();
    assertThat(report.hiveId()).isEqualTo("hive-a");
    assertThat(report.ok()).isTrue();
    assertThat(report.stateDir()).isEqualTo(home.resolve("hives/hive-a").toString());
  }

  @Test
  void anOperationTheHiveDoesNotRunIsRejectedListingTheHivesOperations() throws Exception {
    HttpResponse<String> resp = Http.postJson(token(), app.baseUrl() + "/v1/jobs",
        "{\"operation\": {\"Infer\": {\"model\": \"tiny\", \"prompt\": \"hello\"}}}");

    assertThat(resp.statusCode()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(resp.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("unknown_operation");
    assertThat(error.get("message").asText()).contains("Infer");
    List<String> expected = new ArrayList<>();
    error.get("expected").forEach(n -> expected.add(n.asText()));
    assertThat(expected).containsExactlyElementsOf(Hive.OPERATIONS);
  }

  @Test
  void healthNamesTheHive() throws Exception {
    HttpResponse<String> resp = Http.get(token(), app.baseUrl() + "/health");

    assertThat(resp.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(resp.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("hive_id").asText()).isEqualTo("hive-a");
  }

  @Test
  void restReadsAnswerJsonArrays() throws Exception {
    HttpResponse<String> workers = Http.get(token(), app.baseUrl() + "/v1/workers");
    assertThat(workers.statusCode()).isEqualTo(200);
    assertThat(workers.body()).isEqualTo("[]");
    assertThat(workers.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));

    HttpResponse<String> models = Http.get(token(), app.baseUrl() + "/v1/models");
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).isEqualTo("[]");

    JsonNode devices =
        Json.MAPPER.readTree(Http.get(token(), app.baseUrl() + "/v1/devices").body());
    assertThat(devices.isArray()).isTrue();
    assertThat(devices.get(0).get("id").asText()).isEqualTo("cpu");
  }

  @Test
  void logsOfAnUnknownWorkerAre404Json() throws Exception {
    HttpResponse<String> resp =
        Http.get(token(), app.baseUrl() + "/v1/workers/worker-0badc0de/logs");

    assertThat(resp.statusCode()).isEqualTo(404);
    JsonNode error = Json.MAPPER.readTree(resp.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("worker_not_found");
    assertThat(error.get("message").asText()).contains("worker-0badc0de", "hive-a");
  }

  @Test
  void aBadTailIs400NamingTheValue() throws Exception {
    HttpResponse<String> resp =
        Http.get(token(), app.baseUrl() + "/v1/workers/worker-0badc0de/logs?tail=lots");

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("invalid_tail", "\\\"lots\\\"");
  }

  @Test
  void cancellingASpawnJobKillsTheStartingWorker() throws Exception {
    // a hive whose workers never get ready, so the cancel surely lands while it waits
    HiveApp stuck = new HiveApp(new Hive(HiveConfig.local(home).withHiveId("hive-s"),
        StandInWorkers.Stuck.class.getName())).start("127.0.0.1", 0);
    try {
      stuck.hive().catalog().add("tiny", "test",
          TinyModels.tiny(Files.createDirectories(home.resolve("m")), 1));
      JobClient c = new JobClient(stuck.baseUrl(), stuck.hive().config().token());
      Submitted s = c.submit(new Operation.WorkerSpawn(null, "tiny", "cpu"));
      try (SseRecorder rec = SseRecorder.follow(c, s.jobId())) {
        rec.awaitEvent(JobEvent.NARRATION);
        await().atMost(Duration.ofSeconds(20))
            .until(() -> !stuck.hive().workers().isEmpty()
                && stuck.hive().workers().get(0).pid() != null);
        WorkerInfo starting = stuck.hive().workers().get(0);
        assertThat(starting.state()).isEqualTo("starting");

        c.cancel(s.jobId());

        rec.assertDone(JobStatus.CANCELLED);
        // SIGKILL is sent by the cancel; the process may take a moment to be gone
        await().atMost(Duration.ofSeconds(10)).until(() ->
            !ProcessHandle.of(starting.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertThat(Http.get(stuck.hive().config().token(), stuck.baseUrl() + "/v1/workers")
            .body()).isEqualTo("[]");
      }
    } finally {
      stuck.close();
    }
  }
}
