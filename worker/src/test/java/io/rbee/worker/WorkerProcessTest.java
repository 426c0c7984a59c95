package io.rbee.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rbee.jobs.Done;
import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.narration.Json;
import io.rbee.testkit.models.TinyModels;
import io.rbee.testkit.sse.SseRecorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as the hive runs it: a separate JVM on a free port. */
class WorkerProcessTest {
  // handed over as a hive does: in the environment, never on the command line
  static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path dir;
  Process process;

  @AfterEach
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Process start(Path model, String... more) throws IOException {
    return start(JvmLauncher.of(WorkerMain.class.getName()), model, more);
  }

  Process start(JvmLauncher launch, Path model, String... more) throws IOException {
    launch.arg("--model", model.toString(), "--worker-id", "w-1", "--model-id", "tiny")
        .arg(more)
        .env("RBEE_HOME", dir.toString())
        .env(TokenFile.ENV, TOKEN.value())
        .logTo(dir.resolve("worker.log"));
    process = launch.start();
    return process;
  }

  List<String> errorLines() throws IOException {
    return Files.readAllLines(dir.resolve("worker.log")).stream()
        .filter(l -> l.startsWith("rbee-worker: error: ")).toList();
  }

  @Test
  void workerServesHealthThenStreamsAnInferJob() throws Exception {
    int port = freePort();
    start(TinyModels.tiny(dir, 3), "--port", String.valueOf(port));
    String base = "http://127.0.0.1:" + port;
    OkHttpClient http = new OkHttpClient();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .failFast("worker exited", () -> !process.isAlive())
        .until(() -> {
          try (Response r = http.newCall(new Request.Builder().url(base + "/health").build())
              .execute()) {
            String status = Json.MAPPER.readTree(r.body().string()).get("status").asText();
            seen.add(r.code() + " " + status);
            return r.code() == 200;
          } catch (IOException notYetListening) {
            return false;
          }
        });
    assertThat(seen).contains("200 ready").isSubsetOf("503 loading", "200 ready");

    assertThat(JobClient.withoutToken(base).healthy()).isTrue();
    assertThat(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")))
        .doesNotContain(TOKEN.value());
    JobClient client = new JobClient(base, TOKEN);
    String jobId = client.submit(new Operation.Infer(null, "tiny", "the cat sat", 5, 0.0, null,
        null, null, null)).jobId();
    try (SseRecorder rec = SseRecorder.follow(client, jobId)) {
      rec.assertNarration("infer_start");
      rec.assertEvent("token");
      Done done = rec.assertDone(JobStatus.SUCCEEDED);
      assertThat(done.stats()).containsEntry("tokens_out", 5);
    }

    process.destroy(); // SIGTERM, as the hive stops a worker
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("worker exits on SIGTERM").isTrue();
  }

  @Test
  void workerWatchingStdinExitsWhenItsHiveIsGoneEvenBeforeItStarted() throws Exception {
    // the hive's end of the pipe closes at once: as when a hive dies while its worker's JVM
    // is still starting (the parent watch then found init as parent and never fired)
    start(JvmLauncher.of(WorkerMain.class.getName()).stdinPipe(), TinyModels.tiny(dir, 3),
        "--port", String.valueOf(freePort()), "--watch-stdin");
    process.getOutputStream().close();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("worker exits").isTrue();
    assertThat(process.exitValue()).isEqualTo(ExitCode.FAILED.code());
    assertThat(errorLines()).singleElement().asString()
        .contains("the hive that started this worker is gone");
  }

  @Test
  void workerDeletesItsNativeFolderOnSigterm() throws Exception {
    Path nativeDir = dir.resolve("native-w-1");
    int port = freePort();
    start(TinyModels.tiny(dir, 3), "--port", String.valueOf(port), "--threads", "1",
        "--native-dir", nativeDir.toString());
    OkHttpClient http = new OkHttpClient();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .failFast("worker exited", () -> !process.isAlive())
        .until(() -> {
          try (Response r = http.newCall(new Request.Builder()
              .url("http://127.0.0.1:" + port + "/health").build()).execute()) {
            return r.code() == 200 && r.body().string().contains("\"threads\":1");
          } catch (IOException notYetListening) {
            return false;
          }
        });
    assertThat(nativeDir.resolve("libjllama.so")).exists();

    process.destroy();

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(nativeDir).doesNotExist();
  }

  @Test
  void garbageModelExitsWithInvalidModelAndOneErrorLine() throws Exception {
    start(TinyModels.garbage(dir), "--port", String.valueOf(freePort()));

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(ExitCode.INVALID_MODEL.code());
    assertThat(errorLines()).singleElement().asString()
        .contains("garbage.gguf is not a GGUF file (starts with 3c68746d, expected 'GGUF')");
  }

  @Test
  void cudaWithoutALlamaLibraryExitsWithCudaUnavailable() throws Exception {
    assumeTrue(System.getenv("RBEE_LLAMA_LIB_DIR") == null, "RBEE_LLAMA_LIB_DIR is set here");
    start(TinyModels.tiny(dir, 3), "--port", String.valueOf(freePort()), "--device", "cuda:0");

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(ExitCode.CUDA_UNAVAILABLE.code());
    assertThat(errorLines()).singleElement().asString()
        .contains("cuda:0 needs a CUDA build of llama.cpp").contains("RBEE_LLAMA_LIB_DIR");
  }

  @Test
  void badArgumentsExitWithUsage() throws Exception {
    start(TinyModels.tiny(dir, 3), "--device", "gpu"); // and no --port

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(ExitCode.USAGE.code());
    assertThat(Files.readString(dir.resolve("worker.log")))
        .contains("Missing required option: '--port=N'", "Usage: llm-worker-rbee");
  }
}
