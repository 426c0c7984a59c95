package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.models.TinyModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on a hive daemon app, end to end: real worker processes ({@code WorkerMain}) running
 * llama.cpp on tiny generated models, driven through the job API.
 */
class HiveWorkersTest {
  private static final TypeReference<List<WorkerInfo>> WORKERS = new TypeReference<>() {};

  @TempDir Path home;
  private HiveApp app;
  private JobClient client;
  private Path files;

  @BeforeEach
  void setUp() throws Exception {
    app = new HiveApp(new Hive(HiveConfig.local(home).withWorkerReadyTimeout(
        Duration.ofSeconds(60)))).start("127.0.0.1", 0);
    client = new JobClient(app.baseUrl(), token());
    files = Files.createDirectories(home.resolve("test-models"));
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  /** The installation's token, which the hive's every path but /health requires. */
  private AccessToken token() {
    return app.hive().config().token();
  }

  private record Run(Done done, List<SseEvent> events) {
    List<Narration> narration() {
      return events.stream().filter(e -> e.event().equals(JobEvent.NARRATION))
          .map(e -> Json.read(e.data(), Narration.class)).toList();
    }

    <T> T result(Class<T> type) {
      return events.stream().filter(e -> e.event().equals(JobEvent.RESULT))
          .map(e -> Json.read(e.data(), type)).findFirst()
          .orElseThrow(() -> new AssertionError("no result in " + events));
    }
  }

  private Run run(Operation op) throws Exception {
    List<SseEvent> events = new ArrayList<>();
    Done done = client.run(op, events::add);
    return new Run(done, events);
  }

  private WorkerInfo spawnReady(String model) throws Exception {
    Run spawn = run(new Operation.WorkerSpawn(null, model, "cpu"));
    assertThat(spawn.done().status()).as("spawn: %s", spawn.done().error())
        .isEqualTo(JobStatus.SUCCEEDED);
    return spawn.result(WorkerInfo.class);
  }

  @Test
  void aSpawnedWorkerIsReadyListedHasLogsAndStopsOnKill() throws Exception {
    app.hive().catalog().add("tiny", "test", TinyModels.tiny(files, 7));

    WorkerInfo w = spawnReady("tiny");

    assertThat(w.state()).isEqualTo("ready");
    assertThat(w.url()).startsWith("http://127.0.0.1:");
    assertThat(Http.get(w.url() + "/health").statusCode()).isEqualTo(200);
    List<WorkerInfo> listed = client.get("/v1/workers", WORKERS);
    assertThat(listed).singleElement().satisfies(l -> {
      assertThat(l.workerId()).isEqualTo(w.workerId());
      assertThat(l.state()).isEqualTo("ready");
      assertThat(l.model()).isEqualTo("tiny");
    });
    HttpResponse<String> logs =
        Http.get(token(), app.baseUrl() + "/v1/workers/" + w.workerId() + "/logs?tail=20");
    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(logs.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(logs.body().lines().count()).isBetween(1L, 20L);

    Run delete = run(new Operation.ModelDelete(null, "tiny"));
    assertThat(delete.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(delete.narration()).anySatisfy(n ->
        assertThat(n.errorKind()).isEqualTo("model_in_use"));

    Run kill = run(new Operation.WorkerKill(null, w.workerId()));

    assertThat(kill.done().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(kill.result(WorkerInfo.class).state()).isEqualTo("stopped");
    assertThat(kill.narration()).extracting(Narration::action)
        .contains("worker_stop", "worker_stopped");
    assertThat(client.get("/v1/workers", WORKERS)).isEmpty();
    assertThat(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aModelThatWouldCrashLlamaCppFailsAsInvalidGgufBeforeAnyProcessStarts() throws Exception {
    app.hive().catalog().add("dup", "test", TinyModels.duplicateVocab(files));

    Run spawn = run(new Operation.WorkerSpawn(null, "dup", "cpu"));

    assertThat(spawn.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(spawn.narration()).anySatisfy(n -> {
      assertThat(n.errorKind()).isEqualTo("invalid_gguf");
      assertThat(n.human()).containsIgnoringCase("duplicate");
    });
    assertThat(spawn.narration()).extracting(Narration::action)
        .doesNotContain("worker_command", "worker_process");
    assertThat(client.get("/v1/workers", WORKERS)).isEmpty();
    assertThat(noWorkerLogs()).isTrue();
    assertThat(client.healthy()).isTrue();
  }

  @Test
  void aModelFileThatIsNoLongerGgufFailsAsInvalidGguf() throws Exception {
    Path file = TinyModels.tiny(files, 8);
    app.hive().catalog().add("tiny", "test", file);
    Files.writeString(app.hive().catalog().find("tiny").map(m -> Path.of(m.path()))
        .orElseThrow(), "<html>not a model</html>");

    Run spawn = run(new Operation.WorkerSpawn(null, "tiny", "cpu"));

    assertThat(spawn.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(spawn.narration()).anySatisfy(n ->
        assertThat(n.errorKind()).isEqualTo("invalid_gguf"));
    assertThat(noWorkerLogs()).isTrue();
    assertThat(client.healthy()).isTrue();
  }

  @Test
  void aWorkerOfTheDemoModelKilledFromOutsideIsNoticed() throws Exception {
    // the everyday path: rbee model download demo, then rbee worker spawn demo
    assertThat(run(new Operation.ModelDownload(null, "demo")).done().status())
        .isEqualTo(JobStatus.SUCCEEDED);
    WorkerInfo w = spawnReady("demo");

    ProcessHandle.of(w.pid()).orElseThrow().destroyForcibly();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(client.get("/v1/workers", WORKERS)).singleElement().satisfies(l -> {
          assertThat(l.state()).isIn("failed", "stopped");
          assertThat(l.exitCode()).isNotNull();
        }));
    assertThat(client.healthy()).isTrue();
  }

  @Test
  void aWorkerComputesWithTheThreadsAskedForOrTheHivesDefault() throws Exception {
    app.hive().catalog().add("tiny", "test", TinyModels.tiny(files, 9));

    Run asked = run(new Operation.WorkerSpawn(null, "tiny", "cpu", 1));
    WorkerInfo one = asked.result(WorkerInfo.class);
    WorkerInfo byDefault = spawnReady("tiny");

    assertThat(one.threads()).isEqualTo(1);
    assertThat(Http.get(one.url() + "/health").body()).contains("\"threads\":1");
    assertThat(asked.narration()).filteredOn(n -> "worker_command".equals(n.action()))
        .singleElement().satisfies(n -> assertThat(n.human()).contains("--threads 1"));
    int hiveDefault = app.hive().config().limits().workerThreads();
    assertThat(byDefault.threads()).isEqualTo(hiveDefault);
    assertThat(Http.get(byDefault.url() + "/health").body())
        .contains("\"threads\":" + hiveDefault);
  }

  @Test
  void workersLeaveNoNativeLibraryBehindWhenStoppedOrKilled() throws Exception {
    app.hive().catalog().add("tiny", "test", TinyModels.tiny(files, 7));
    WorkerInfo stopped = spawnReady("tiny");
    WorkerInfo killed = spawnReady("tiny");
    Path nativeRoot = app.hive().config().workerNativeDir();
    // each worker extracted llama.cpp into a folder of the hive's, not into the temp folder
    assertThat(nativeRoot.resolve(stopped.workerId()).resolve("libjllama.so")).exists();
    assertThat(nativeRoot.resolve(killed.workerId()).resolve("libjllama.so")).exists();

    assertThat(run(new Operation.WorkerKill(null, stopped.workerId())).done().status())
        .isEqualTo(JobStatus.SUCCEEDED); // SIGTERM
    ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no hooks run

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(client.get("/v1/workers", WORKERS)).singleElement()
            .satisfies(l -> assertThat(l.exitCode()).isNotNull()));
    assertThat(nativeRoot.resolve(stopped.workerId())).doesNotExist();
    assertThat(nativeRoot.resolve(killed.workerId())).doesNotExist();
  }

  @Test
  void aHiveSweepsNativeFoldersThatWorkersOfAnEarlierRunLeft() throws Exception {
    Path stale = Files.createDirectories(
        app.hive().config().workerNativeDir().resolve("worker-0badf00d"));
    Files.writeString(stale.resolve("libjllama.so"), "left by a worker whose hive died");

    try (Hive again = new Hive(app.hive().config())) {
      assertThat(stale).doesNotExist();
      assertThat(again.workers()).isEmpty();
    }
  }

  @Test
  void spawnsBeyondTheHivesLimitWaitTheirTurnAndSayForWhat() throws Exception {
    HiveApp one = new HiveApp(new Hive(app.hive().config().withHiveId("h-one")
        .withLimits(app.hive().config().limits().withMaxSpawns(1)))).start("127.0.0.1", 0);
    try {
      one.hive().catalog().add("tiny", "test", TinyModels.tiny(files, 7));
      JobClient c = new JobClient(one.baseUrl(), one.hive().config().token());
      List<List<SseEvent>> events = List.of(new ArrayList<>(), new ArrayList<>());
      // a thread each: the common pool may have one thread on a small machine
      var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
      var spawns = java.util.stream.IntStream.range(0, 2).mapToObj(i ->
          java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              return c.run(new Operation.WorkerSpawn(null, "tiny", "cpu", 1),
                  events.get(i)::add);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }, threads)).toList();

      for (var s : spawns) {
        assertThat(s.get(60, java.util.concurrent.TimeUnit.SECONDS).status())
            .isEqualTo(JobStatus.SUCCEEDED);
      }
      List<Narration> waits = events.stream().flatMap(List::stream)
          .filter(e -> e.event().equals(JobEvent.NARRATION))
          .map(e -> Json.read(e.data(), Narration.class))
          .filter(n -> "wait_queued".equals(n.action())).toList();
      assertThat(waits).singleElement().satisfies(n -> assertThat(n.human())
          .contains("a worker spawn on hive h-one", "1 in use (of 1)"));
    } finally {
      one.close();
    }
  }

  private boolean noWorkerLogs() throws Exception {
    Path dir = home.resolve("logs/workers");
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
