package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that load and unload themselves, with real processes: a queen, and a hive
 * {@code blue} started by hand with {@code --max-workers 1} that beats every 500 ms, holding
 * two tiny models ({@code a.gguf}, {@code b.gguf}: two seeds) and the demo model. Tests run in
 * order: each starts from the worker the previous one left loaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeepAliveTest {
  private static final int BEAT_MS = 500;
  /** What "still loaded well after" waits: twice test 1's keep-alive, 8 beats, 16 samples. */
  private static final Duration WELL_AFTER = Duration.ofSeconds(4);
  /** Room for an unload to be seen: the keep-alive, a sample, a graceful stop and a beat. */
  private static final Duration UNLOAD_WITHIN = Duration.ofSeconds(20);

  @TempDir static Path root;
  static Path queenHome;
  static FileServer files;
  static Daemon queen;
  static Daemon blue;
  static JobClient client;
  static final List<Long> workerPids = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    queenHome = Files.createDirectories(root.resolve("queen"));
    Path source = Files.createDirectories(root.resolve("source"));
    files = FileServer.start();
    files.serve("/models/a.gguf", Files.readAllBytes(TinyModels.tiny(source, 1)));
    files.serve("/models/b.gguf", Files.readAllBytes(TinyModels.tiny(source, 2)));
    int queenPort = FreePorts.next();
    queen = Daemon.start("queen", Daemon.QUEEN_MAIN, queenHome, "127.0.0.1", queenPort);
    client = queen.client();
    Path blueHome = Files.createDirectories(root.resolve("blue"));
    Daemon.shareToken(queenHome, blueHome);
    blue = Daemon.start("hive-blue", Daemon.HIVE_MAIN, blueHome, "127.0.0.2", FreePorts.next(),
        "--hive-id", "blue", "--queen-url", "http://127.0.0.1:" + queenPort,
        "--heartbeat-ms", Integer.toString(BEAT_MS), "--max-workers", "1");
    for (Operation op : List.of(
        new Operation.ModelDownload("blue", files.url("/models/a.gguf").toString()),
        new Operation.ModelDownload("blue", files.url("/models/b.gguf").toString()),
        new Operation.ModelDownload("blue", "demo"))) {
      awaitFresh();
      JobRun run = JobRun.of(client, op);
      assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status().models().stream()
        .filter(m -> "blue".equals(m.hiveId())).count() == 3);
  }

  @AfterAll
  static void stop() {
    for (Daemon d : new Daemon[] {blue, queen}) {
      if (d != null) {
        d.close();
      }
    }
    if (files != null) {
      files.close();
    }
    workerPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private static void awaitFresh() {
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> status().hives().stream()
        .anyMatch(h -> h.hiveId().equals("blue") && "fresh".equals(h.liveness())));
  }

  private static ClusterStatus status() throws Exception {
    JobRun run = JobRun.of(client, new Operation.Status());
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    return JobRunResults.lastResult(run, ClusterStatus.class);
  }

  /** The loaded (starting, ready or stopping) workers of {@code model}, as the queen sees them. */
  private static List<WorkerInfo> loaded(String model) throws Exception {
    List<WorkerInfo> out = status().workers().stream()
        .filter(w -> model.equals(w.model()) && List.of("starting", "ready", "stopping")
            .contains(w.state()))
        .toList();
    out.forEach(w -> {
      if (w.pid() != null && !workerPids.contains(w.pid())) {
        workerPids.add(w.pid());
      }
    });
    return out;
  }

  private static Optional<WorkerInfo> ready(String model) throws Exception {
    return loaded(model).stream().filter(w -> w.state().equals("ready")).findFirst();
  }

  private static boolean alive(WorkerInfo w) {
    return ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Operation.Infer infer(String model, int maxTokens, String keepAlive) {
    return new Operation.Infer(null, model, "the cat", maxTokens, 0.0, null, null, 1L, null)
        .withKeepAlive(keepAlive);
  }

  private static JobRun inferOk(String model, String keepAlive) throws Exception {
    JobRun run = JobRun.of(client, infer(model, 8, keepAlive));
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.text()).as(run.transcript()).isNotEmpty();
    return run;
  }

  private static Narration only(List<Narration> narration, String action) {
    List<Narration> found = narration.stream().filter(n -> action.equals(n.action())).toList();
    assertThat(found).as("narration %s in %s", action, narration).hasSize(1);
    return found.get(0);
  }

  @Test
  @Order(1)
  void aWorkerWithATwoSecondKeepAliveIsGoneAfterIt() throws Exception {
    inferOk("a.gguf", "2s");

    // still loaded right after the request, then gone once idle for 2 s
    Optional<WorkerInfo> right = ready("a.gguf");
    assertThat(right).as("a ready worker with a.gguf right after the request").isPresent();
    WorkerInfo w = right.get();
    Awaitility.await().atMost(UNLOAD_WITHIN).until(() -> loaded("a.gguf").isEmpty());

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !alive(w));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> blue.logText()
        .contains("Unloading a.gguf from worker " + w.workerId() + ": idle "));
    assertThat(blue.logText()).contains("(keep-alive 2s)");
  }

  @Test
  @Order(2)
  void aWorkerKeptAliveForeverIsStillLoadedWellAfterAndRbeePsSaysSo() throws Exception {
    inferOk("a.gguf", "-1");
    // the beat after the request carries its keep-alive
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ready("a.gguf")
        .map(w -> Long.valueOf(-1).equals(w.keepAliveMs())).orElse(false));
    WorkerInfo w = ready("a.gguf").orElseThrow();

    Awaitility.await().during(WELL_AFTER).atMost(WELL_AFTER.plusSeconds(10))
        .until(() -> ready("a.gguf").map(i -> i.workerId().equals(w.workerId())).orElse(false));

    Keeper.Result ps = Keeper.run(queenHome, "--queen-url", queen.url(), "ps");
    assertThat(ps.exitCode()).as(ps.toString()).isZero();
    assertThat(ps.stdout().lines().toList()).as(ps.toString())
        .first().asString().startsWith("MODEL").contains("WORKER", "DEVICE", "IDLE", "UNLOADS");
    assertThat(ps.stdout().lines().toList()).as(ps.toString())
        .anySatisfy(line -> assertThat(line).contains("a.gguf", "blue", w.workerId(), "cpu",
            "ready", "idle", "never"));
    Keeper.Result json = Keeper.run(queenHome, "--queen-url", queen.url(), "--json", "ps");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode list = Json.MAPPER.readTree(json.stdout());
    assertThat(list).anySatisfy(n -> {
      assertThat(n.get("worker_id").asText()).isEqualTo(w.workerId());
      assertThat(n.get("keep_alive_ms").asLong()).isEqualTo(-1);
      assertThat(n.get("idle_ms").asLong()).isNotNegative();
    });
  }

  @Test
  @Order(3)
  void aSpawnAtTheLimitUnloadsTheLeastRecentlyUsedIdleWorker() throws Exception {
    WorkerInfo a = ready("a.gguf").orElseThrow(); // left loaded, for ever, by test 2

    JobRun run = inferOk("b.gguf", null);

    Narration evict = only(run.narration(), "worker_evict");
    assertThat(evict.actor()).isEqualTo("hive");
    assertThat(evict.workerId()).isEqualTo(a.workerId());
    assertThat(evict.human()).as(run.transcript())
        .startsWith("Unloading a.gguf (worker " + a.workerId() + ", idle ")
        .contains("to load b.gguf");
    assertThat(alive(a)).isFalse(); // it exited before b's worker started
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loaded("a.gguf").isEmpty());
    assertThat(ready("b.gguf")).isPresent();
  }

  @Test
  @Order(4)
  void aBusyWorkerIsNotEvictedTheSpawnWaitsUntilItIsIdle() throws Exception {
    // a long generation (the demo model takes seconds for it) makes its worker busy
    Submitted longJob = client.submit(infer("demo", Operation.Infer.MAX_TOKENS_LIMIT, null));
    try (JobStream longStream = client.stream(longJob.jobId(), 0)) {
      InferenceTest.awaitToken(longStream);
      WorkerInfo busy = ready("demo").orElseThrow();

      Submitted waiting = client.submit(infer("a.gguf", 8, null));
      try (JobStream stream = client.stream(waiting.jobId(), 0)) {
        List<SseEvent> seen = new ArrayList<>();
        Narration wait = awaitNarration(stream, "worker_evict_wait", seen);
        assertThat(wait.human()).contains("--max-workers 1", busy.workerId() + " with demo: busy",
            "load a.gguf");
        // the busy worker is left alone: still generating, still alive
        assertThat(alive(busy)).isTrue();
        assertThat(client.status(longJob.jobId()).status()).isEqualTo(JobStatus.RUNNING);

        client.cancel(longJob.jobId()); // its worker turns idle: now it may go
        assertThat(InferenceTest.drainToDone(longStream).status())
            .isEqualTo(JobStatus.CANCELLED);
        Done done = drainToDone(stream, seen);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        List<Narration> narration = seen.stream()
            .filter(e -> JobEvent.NARRATION.equals(e.event()))
            .map(e -> Json.read(e.data(), Narration.class)).toList();
        assertThat(only(narration, "worker_evict").workerId()).isEqualTo(busy.workerId());
        assertThat(seen).anyMatch(e -> JobEvent.TOKEN.equals(e.event()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !alive(busy));
      }
    }
  }

  /** Reads {@code stream} (keeping what it read in {@code seen}) up to {@code action}. */
  private static Narration awaitNarration(JobStream stream, String action, List<SseEvent> seen)
      throws Exception {
    SseEvent e;
    while ((e = stream.next()) != null) {
      seen.add(e);
      if (JobEvent.NARRATION.equals(e.event())) {
        Narration n = Json.read(e.data(), Narration.class);
        if (action.equals(n.action())) {
          return n;
        }
      }
      if (JobEvent.DONE.equals(e.event())) {
        break;
      }
    }
    throw new AssertionError("no " + action + " before the stream ended: " + seen);
  }

  private static Done drainToDone(JobStream stream, List<SseEvent> seen) throws Exception {
    SseEvent e;
    while ((e = stream.next()) != null) {
      seen.add(e);
      if (JobEvent.DONE.equals(e.event())) {
        return Json.read(e.data(), Done.class);
      }
    }
    throw new AssertionError("stream ended without done: " + seen);
  }
}
