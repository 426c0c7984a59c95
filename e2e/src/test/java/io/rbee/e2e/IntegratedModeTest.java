package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.Narration;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code queen --local-hive}: the hive's code runs inside the queen with the queen's job id. */
class IntegratedModeTest {
  @TempDir Path home;
  Daemon queen;
  JobClient client;

  @BeforeEach
  void startQueen() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    client = queen.client();
  }

  @AfterEach
  void stop() {
    queen.close();
  }

  @Test
  void hiveCheckRunsInsideTheQueenWithoutAHiveProcess() throws Exception {
    JobRun run = JobRun.of(client, new Operation.HiveCheck("localhost"));

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    List<String> hiveActions = run.actions("hive");
    assertThat(hiveActions).hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates()
        .startsWith("hive_check_start").endsWith("hive_check_done");
    assertThat(run.narration()).extracting(Narration::jobId).containsOnly(run.submitted().jobId());
    // no hive daemon: the queen started no process at all
    assertThat(queen.process().descendants().toList()).isEmpty();
  }

  @Test
  void inferenceWorksTheSameWithTheHiveInsideTheQueen() throws Exception {
    Path model = downloadStory();
    Operation.Infer infer = new Operation.Infer(null, "story.gguf", "Once upon a time", 24, 0.0,
        null, null, 1L, List.of());

    JobRun run = JobRun.of(client, infer);

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.actions("hive")).contains("worker_spawn_start");
    assertThat(run.text()).isEqualTo(LlamaDirect.complete(model, infer));
    // the only process the queen started is the worker: no hive daemon
    assertThat(queen.process().descendants().map(p -> p.info().commandLine().orElse("")))
        .noneMatch(cmd -> cmd.contains("io.rbee.hive.HiveMain"))
        .anyMatch(cmd -> cmd.contains("io.rbee.worker.WorkerMain"));
  }

  @Test
  void cancellingTheInferenceThatSpawnedAWorkerLeavesTheWorkerRunning() throws Exception {
    downloadStory();
    Submitted job = client.submit(InferenceTest.longInference());
    try (JobStream stream = client.stream(job.jobId(), 0)) {
      InferenceTest.awaitToken(stream);
      client.cancel(job.jobId());
      assertThat(InferenceTest.drainToDone(stream).status()).isEqualTo(JobStatus.CANCELLED);
    }

    JobRun list = JobRun.of(client, new Operation.WorkerList("localhost"));
    assertThat(JobRunResults.lastResult(list, WorkerInfo[].class))
        .singleElement().satisfies(w -> assertThat(w.state()).isEqualTo("ready"));
  }

  @Test
  void concurrentRequestsForAModelWithoutAWorkerShareOneSpawn() throws Exception {
    downloadStory();
    Operation.Infer infer = new Operation.Infer(null, "story.gguf", "Once upon a time", 8, 0.0,
        null, null, 1L, List.of());

    List<CompletableFuture<JobRun>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return JobRun.of(client, infer);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (CompletableFuture<JobRun> run : runs) {
      JobRun r = run.get(120, TimeUnit.SECONDS);
      assertThat(r.done().status()).as(r.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    }

    JobRun list = JobRun.of(client, new Operation.WorkerList("localhost"));
    assertThat(JobRunResults.lastResult(list, WorkerInfo[].class)).hasSize(1);
  }

  private Path downloadStory() throws Exception {
    Path model = TinyModels.demo(Files.createDirectories(home.resolve("source")));
    try (FileServer files = FileServer.start()) {
      files.serve("/story.gguf", Files.readAllBytes(model));
      JobRun download = JobRun.of(client,
          new Operation.ModelDownload("localhost", files.url("/story.gguf").toString()));
      assertThat(download.done().status()).as(download.transcript())
          .isEqualTo(JobStatus.SUCCEEDED);
    }
    return model;
  }

  @Test
  void hiveStartInIntegratedModeSaysThereIsNothingToStart() throws Exception {
    JobRun run = JobRun.of(client, new Operation.HiveStart("localhost", null));

    assertThat(run.done().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.narration()).anySatisfy(
        n -> assertThat(n.human()).contains("integrated mode"));
    assertThat(queen.process().descendants().toList()).isEmpty();
  }
}
