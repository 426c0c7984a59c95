package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queen and hive as separate real processes: hive narration reaches the queen's stream. */
class DistributedModeTest {
  @TempDir Path home;
  Daemon queen;
  JobClient client;

  @BeforeEach
  void startQueenAndHive() throws Exception {
    queen = Daemon.queen(home);
    client = queen.client();
    JobRun start = JobRun.of(client, new Operation.HiveStart("localhost", FreePorts.next()));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(start.actions("queen")).contains("hive_start", "hive_spawned", "hive_ready");
  }

  @AfterEach
  void stop() {
    queen.close();
  }

  @Test
  void hiveNarrationIsRelayedIntoTheQueenStreamInOrder() throws Exception {
    JobRun run = JobRun.of(client, new Operation.HiveCheck("localhost"));

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    List<Narration> narration = run.narration();
    assertThat(narration).extracting(Narration::actor).contains("queen", "hive");
    List<String> hiveActions = run.actions("hive");
    assertThat(hiveActions).hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates();
    assertThat(hiveActions.get(0)).isEqualTo("hive_check_start");
    assertThat(hiveActions.get(hiveActions.size() - 1)).isEqualTo("hive_check_done");
    // relayed events belong to the queen's job and keep the hive's fields
    assertThat(narration).allSatisfy(n -> assertThat(n.jobId()).isEqualTo(run.submitted().jobId()));
    assertThat(narration).filteredOn(n -> n.actor().equals("hive"))
        .allSatisfy(n -> assertThat(n.hiveId()).isEqualTo("localhost"));
    // one stream, ids 1..n in order, exactly one done and it is last
    List<Long> ids = run.events().stream().map(SseEvent::numericId).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates().startsWith(1L);
    assertThat(ids.get(ids.size() - 1)).isEqualTo(ids.size());
    assertThat(run.events()).filteredOn(e -> e.event().equals(JobEvent.DONE)).hasSize(1);
    assertThat(run.events().get(run.events().size() - 1).event()).isEqualTo(JobEvent.DONE);
  }

  @Test
  void hiveKilledMidJobFailsTheQueenJobAndTheQueenStaysHealthy() throws Exception {
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 7));
    try (FileServer files = FileServer.start()) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 30)); // ~30 s: long enough to kill
      HiveInfo hive = JobRunResults.hiveInfo(client, "localhost");
      Submitted job = client.submit(
          new Operation.ModelDownload("localhost", files.url("/slow.gguf").toString()));

      AtomicReference<Long> killedAt = new AtomicReference<>();
      CompletableFuture<io.rbee.jobs.Done> done = Downloading.follow(client, job.jobId());
      ProcessHandle.of(hive.pid()).orElseThrow().destroyForcibly();
      killedAt.set(System.nanoTime());

      io.rbee.jobs.Done result = done.get(30, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - killedAt.get()) / 1_000_000;
      assertThat(result.status()).isEqualTo(JobStatus.FAILED);
      assertThat(result.error()).contains("hive localhost");
      assertThat(tookMs).as("failure reported within a few seconds").isLessThan(10_000);
      assertThat(client.healthy()).isTrue();
      JobRun after = JobRun.of(client, new Operation.QueenCheck());
      assertThat(after.done().status()).isEqualTo(JobStatus.SUCCEEDED);
    }
  }

  @Test
  void aHiveThatIsDownFailsTheJobAtOnceWithAClearError() throws Exception {
    HiveInfo hive = JobRunResults.hiveInfo(client, "localhost");
    ProcessHandle.of(hive.pid()).orElseThrow().destroyForcibly();
    Awaitility.await().until(() -> ProcessHandle.of(hive.pid()).isEmpty()
        || !ProcessHandle.of(hive.pid()).get().isAlive());

    long start = System.nanoTime();
    JobRun run = JobRun.of(client, new Operation.HiveCheck("localhost"));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(run.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(run.done().error()).contains("hive localhost", "not reachable", "rbee hive start");
    assertThat(run.narration()).filteredOn(n -> "job_failed".equals(n.action()))
        .singleElement().satisfies(n -> assertThat(n.errorKind()).isEqualTo("hive_unreachable"));
    assertThat(tookMs).isLessThan(5_000);
    assertThat(client.healthy()).isTrue();
  }

  @Test
  void aStoppedHiveStartsAgainOnItsOwnPort() throws Exception {
    HiveInfo before = JobRunResults.hiveInfo(client, "localhost");

    JobRun stop = JobRun.of(client, new Operation.HiveStop("localhost"));
    assertThat(stop.done().status()).as(stop.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(stop.actions("queen")).contains("hive_stop", "hive_stopped");
    assertThat(ProcessHandle.of(before.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(JobRunResults.hiveInfo(client, "localhost").state()).isEqualTo("stopped");

    JobRun start = JobRun.of(client, new Operation.HiveStart("localhost", null));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    HiveInfo after = JobRunResults.lastResult(start, HiveInfo.class);
    assertThat(after.url()).isEqualTo(before.url());
    assertThat(after.pid()).isNotEqualTo(before.pid());
    assertThat(JobRun.of(client, new Operation.HiveCheck("localhost")).done().status())
        .isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void unknownOperationIsRejectedWithTheListOfOperations() throws Exception {
    var http = new okhttp3.OkHttpClient();
    var body = okhttp3.RequestBody.create("{\"operation\": {\"Frobnicate\": {}}}",
        okhttp3.MediaType.get("application/json"));
    try (var response = http.newCall(new okhttp3.Request.Builder().url(queen.url() + "/v1/jobs")
        .header("Authorization", queen.token().authorization()).post(body).build()).execute()) {
      assertThat(response.code()).isEqualTo(400);
      String json = response.body().string();
      assertThat(json).contains("unknown_operation", "Frobnicate", "HiveCheck", "Infer")
          .doesNotContain("Exception", "at io.");
    }
  }
}
