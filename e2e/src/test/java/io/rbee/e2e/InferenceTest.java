package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import io.rbee.jobs.launch.JvmLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download, spawn and infer through a distributed queen + hive, with real llama.cpp workers.
 * Tests run in order: the download feeds the later ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceTest {
  static final String PROMPT = "Once upon a time";
  @TempDir static Path home;
  static Path modelFile;
  static FileServer files;
  static Daemon queen;
  static JobClient client;

  @BeforeAll
  static void start() throws Exception {
    modelFile = TinyModels.demo(Files.createDirectories(home.resolve("source")));
    files = FileServer.start();
    byte[] bytes = Files.readAllBytes(modelFile);
    files.serve("/models/story.gguf", bytes);
    files.dropAfter("/models/story.gguf", bytes.length / 2, 1);
    files.serve("/models/broken.gguf", Files.readAllBytes(
        TinyModels.duplicateVocab(Files.createDirectories(home.resolve("broken")))));
    // a short abandonment window: a tiny model generates its whole context within 10 s
    queen = Daemon.queen(home, "--infer-abandon-seconds", "1");
    client = queen.client();
    JobRun hive = JobRun.of(client, new Operation.HiveStart("localhost", FreePorts.next()));
    assertThat(hive.done().status()).as(hive.transcript()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @AfterAll
  static void stop() {
    queen.close();
    files.close();
  }

  @Test
  @Order(1)
  void downloadShowsByteProgressAndResumesAfterADroppedConnection() throws Exception {
    JobRun run = JobRun.of(client,
        new Operation.ModelDownload("localhost", files.url("/models/story.gguf").toString()));

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.narration()).filteredOn(n -> n.progress() != null)
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.progress().unit()).isEqualTo("bytes"));
    assertThat(run.actions("hive")).contains("download_retry");
    assertThat(files.rangeHeaders("/models/story.gguf")).anyMatch(h -> h.startsWith("bytes="));
    ModelInfo model = JobRunResults.lastResult(run, ModelInfo.class);
    assertThat(model.id()).isEqualTo("story.gguf");
    assertThat(Files.readAllBytes(Path.of(model.path())))
        .isEqualTo(Files.readAllBytes(modelFile));
  }

  @Test
  @Order(2)
  void inferSpawnsAWorkerAndStreamsWhatLlamaCppProducesDirectly() throws Exception {
    Operation.Infer infer = greedy(24);
    JobRun run = JobRun.of(client, infer);

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.actions("queen")).contains("infer_spawn", "infer_route");
    assertThat(run.events()).filteredOn(e -> e.event().equals(JobEvent.TOKEN)).isNotEmpty();
    assertThat(run.text()).isEqualTo(direct(infer));
    assertThat(run.done().stats()).containsKeys("tokens_in", "tokens_out", "tokens_per_second");
    // the queen asks the worker for merged tokens: ids skip there, and nothing is lost
    assertThat(run.events()).extracting(e -> e.event()).doesNotContain(JobEvent.GAP);
    assertThat(run.actions("queen")).doesNotContain("relay_gap");
    assertThat(run.done().lostEvents()).isNull();
  }

  @Test
  @Order(3)
  void keeperInferPrintsOnlyTheTextOnStdout() throws Exception {
    Keeper.Result r = Keeper.run(home, "--queen-url", queen.url(), "infer", "--model",
        "story.gguf", "--temperature", "0", "--max-tokens", "24", PROMPT);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(direct(greedy(24)).strip());
    assertThat(r.stderr()).contains("tokens/s").doesNotContain("missed", "relay_gap");
  }

  @Test
  @Order(4)
  void spawningAModelLlamaCppWouldCrashOnFailsCleanly() throws Exception {
    JobRun download = JobRun.of(client,
        new Operation.ModelDownload("localhost", files.url("/models/broken.gguf").toString()));
    assertThat(download.done().status()).as(download.transcript()).isEqualTo(JobStatus.SUCCEEDED);

    JobRun spawn = JobRun.of(client, new Operation.WorkerSpawn("localhost", "broken.gguf", "cpu"));

    assertThat(spawn.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(spawn.done().error()).as(spawn.transcript())
        .contains("twice in its vocabulary", "would crash llama.cpp");
    // the hive's failure is relayed once, not narrated again by the queen
    assertThat(spawn.narration()).filteredOn(n -> "job_failed".equals(n.action()))
        .singleElement().satisfies(n -> assertThat(n.actor()).isEqualTo("hive"));
    assertThat(JobRunResults.hiveInfo(client, "localhost").state()).isEqualTo("running");
  }

  @Test
  @Order(5)
  void workerKilledMidGenerationFailsTheJobAndTheHiveStaysUp() throws Exception {
    Submitted job = client.submit(longInference());
    CountDownLatch generating = new CountDownLatch(1);
    CompletableFuture<Done> done = CompletableFuture.supplyAsync(() -> {
      try {
        return client.follow(job.jobId(), 0, e -> {
          if (e.event().equals(JobEvent.TOKEN)) {
            generating.countDown();
          }
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(generating.await(60, TimeUnit.SECONDS)).isTrue();
    JobRun list = JobRun.of(client, new Operation.WorkerList("localhost"));
    WorkerInfo[] workers = JobRunResults.lastResult(list, WorkerInfo[].class);
    WorkerInfo worker = Arrays.stream(workers).filter(w -> "ready".equals(w.state()))
        .findFirst().orElseThrow();
    ProcessHandle.of(worker.pid()).orElseThrow().destroyForcibly();

    Done result = done.get(30, TimeUnit.SECONDS);
    assertThat(result.status()).isEqualTo(JobStatus.FAILED);
    assertThat(result.error()).contains(worker.workerId());
    assertThat(JobRunResults.hiveInfo(client, "localhost").state()).isEqualTo("running");
  }

  @Test
  @Order(6)
  void cancellingAnInferenceStopsTheWorkerGenerating() throws Exception {
    Submitted job = client.submit(longInference());
    try (JobStream stream = client.stream(job.jobId(), 0)) {
      awaitToken(stream);
      client.cancel(job.jobId());
      Done done = drainToDone(stream);
      assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
    }
    // the worker is free again at once: a short request is answered, not queued behind 32k tokens
    JobRun next = JobRun.of(client, greedy(8));
    assertThat(next.done().status()).as(next.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(next.done().stats()).containsEntry("stop_reason", "max_tokens");
  }

  @Test
  @Order(7)
  void anInferenceWhoseFollowerLeftForGoodIsStopped() throws Exception {
    Submitted job = client.submit(longInference());
    try (JobStream stream = client.stream(job.jobId(), 0)) {
      awaitToken(stream);
    } // the follower goes away and does not come back
    Awaitility.await().atMost(Duration.ofSeconds(40))
        .until(() -> client.status(job.jobId()).status().isFinal());
    assertThat(client.status(job.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(client.status(job.jobId()).error()).contains("abandoned");
  }

  @Test
  @Order(8)
  void interruptingRbeeInferCancelsTheGeneration() throws Exception {
    List<String> cmd = new ArrayList<>(JvmLauncher.of("io.rbee.keeper.Rbee")
        .arg("--queen-url", queen.url(), "infer", "--model", "story.gguf", "--max-tokens",
            String.valueOf(Operation.Infer.MAX_TOKENS_LIMIT), PROMPT)
        .command());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("RBEE_HOME", home.toString());
    pb.environment().remove("RBEE_TOKEN"); // the home's token, as the queen's
    Process keeper = pb.start();
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(keeper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(keeper.getInputStream().read()).as("first token on stdout").isNotNegative();

    // Ctrl-C: SIGINT (Process.destroy would send SIGTERM and close our end of its pipes)
    assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(keeper.pid())).start()
        .waitFor()).isZero();
    assertThat(keeper.waitFor(20, TimeUnit.SECONDS)).isTrue();

    String err = stderr.get(10, TimeUnit.SECONDS);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("cancelled job (job-[0-9a-f-]+)").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    assertThat(client.status(m.group(1)).status()).isEqualTo(JobStatus.CANCELLED);
  }

  static Operation.Infer longInference() {
    return new Operation.Infer(null, "story.gguf", PROMPT, Operation.Infer.MAX_TOKENS_LIMIT, 0.0,
        null, null, null, null);
  }

  static void awaitToken(JobStream stream) throws Exception {
    SseEvent e;
    while ((e = stream.next()) != null) {
      if (e.event().equals(JobEvent.TOKEN)) {
        return;
      }
    }
    throw new AssertionError("stream ended before the first token");
  }

  static Done drainToDone(JobStream stream) throws Exception {
    SseEvent e;
    while ((e = stream.next()) != null) {
      if (e.event().equals(JobEvent.DONE)) {
        return Json.read(e.data(), Done.class);
      }
    }
    throw new AssertionError("stream ended without done");
  }

  static Operation.Infer greedy(int maxTokens) {
    return new Operation.Infer(null, "story.gguf", PROMPT, maxTokens, 0.0, null, null, 1L,
        List.of());
  }

  /** What llama.cpp produces for the same file and request, called directly in this JVM. */
  static String direct(Operation.Infer infer) throws Exception {
    return LlamaDirect.complete(modelFile, infer);
  }
}
