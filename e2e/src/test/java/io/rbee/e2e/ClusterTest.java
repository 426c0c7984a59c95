package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.Done;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobStream;
import io.rbee.narration.Narration;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hives on this machine as two "machines" — each its own {@code RBEE_HOME}, its own
 * loopback address (127.0.0.2, 127.0.0.3), its own port — started by hand with
 * {@code --queen-url} to one queen that did not start them: heartbeats, scheduling onto the
 * hive that has the model, a queue at the queen, a frozen hive, a killed hive, a restarted
 * queen. Only hive {@code blue} has the model.
 */
class ClusterTest {
  /** Beats every second here, so the documented stale time is 3 s. */
  private static final int BEAT_MS = 1_000;
  private static final long STALE_MS = 3L * BEAT_MS;
  /** What the machine may add to the stale time: a sweep, a loaded scheduler. */
  private static final long SLACK_MS = 1_500;

  @TempDir Path root;
  Path queenHome;
  int queenPort;
  Daemon queen;
  Daemon blue;
  Daemon green;
  JobClient client;
  final List<Long> workerPids = new ArrayList<>();

  @BeforeEach
  void startQueenAndTwoHives() throws Exception {
    queenHome = Files.createDirectories(root.resolve("queen"));
    queenPort = FreePorts.next();
    queen = startQueen();
    client = queen.client();
    blue = hive("blue", "127.0.0.2");
    green = hive("green", "127.0.0.3");
    awaitFresh("blue", "green");
    JobRun demo = JobRun.of(client, new Operation.ModelDownload("blue", "demo"));
    assertThat(demo.done().status()).as(demo.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    // the beat after the download lists the model
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status().models().stream()
        .anyMatch(m -> m.id().equals("demo") && "blue".equals(m.hiveId())));
  }

  @AfterEach
  void stopEverything() {
    for (Daemon d : new Daemon[] {green, blue, queen}) {
      if (d != null) {
        try {
          d.signal("CONT");
        } catch (Exception e) {
          // already gone
        }
        d.close();
      }
    }
    // workers whose hive was SIGKILLed are no longer its descendants: end them by id
    workerPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private Daemon startQueen() throws Exception {
    return Daemon.start("queen", Daemon.QUEEN_MAIN, queenHome, "127.0.0.1", queenPort);
  }

  private Daemon hive(String id, String address) throws Exception {
    Path home = Files.createDirectories(root.resolve(id));
    Daemon.shareToken(queenHome, home); // one installation: the hive beats with the queen's token
    return Daemon.start("hive-" + id, Daemon.HIVE_MAIN, home, address, FreePorts.next(),
        "--hive-id", id, "--queen-url", "http://127.0.0.1:" + queenPort,
        "--heartbeat-ms", Integer.toString(BEAT_MS));
  }

  private ClusterStatus status() throws Exception {
    JobRun run = JobRun.of(client, new Operation.Status());
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    return JobRunResults.lastResult(run, ClusterStatus.class);
  }

  private Optional<HiveInfo> hiveInStatus(String id) throws Exception {
    return status().hives().stream().filter(h -> h.hiveId().equals(id)).findFirst();
  }

  private void awaitFresh(String... ids) {
    Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      for (String id : ids) {
        assertThat(hiveInStatus(id)).hasValueSatisfying(h -> {
          assertThat(h.liveness()).isEqualTo("fresh");
          assertThat(h.state()).isEqualTo("running");
        });
      }
    });
  }

  private static Operation.Infer infer(int maxTokens) {
    return new Operation.Infer(null, "demo", "Once upon a time", maxTokens, 0.0, null, null,
        1L, null);
  }

  private JobRun inferOk(int maxTokens) throws Exception {
    JobRun run = JobRun.of(client, infer(maxTokens));
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    status().workers().forEach(w -> {
      if (w.pid() != null) {
        workerPids.add(w.pid());
      }
    });
    return run;
  }

  private static Optional<Narration> action(JobRun run, String action) {
    return run.narration().stream().filter(n -> action.equals(n.action())).findFirst();
  }

  @Test
  void hivesStartedByHandShowUpFreshAndInferIsPlacedOnTheHiveWithTheModel() throws Exception {
    ClusterStatus s = status();
    assertThat(s.hives()).filteredOn(h -> !h.hiveId().equals("localhost"))
        .extracting(HiveInfo::hiveId, HiveInfo::url, HiveInfo::liveness)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("blue", blue.url(), "fresh"),
            org.assertj.core.groups.Tuple.tuple("green", green.url(), "fresh"));
    assertThat(s.hives()).filteredOn(h -> h.hiveId().equals("blue"))
        .allSatisfy(h -> assertThat(h.lastBeatMsAgo()).isBetween(0L, STALE_MS));

    JobRun run = inferOk(16);

    assertThat(action(run, "infer_spawn")).hasValueSatisfying(n -> {
      assertThat(n.hiveId()).isEqualTo("blue");
      assertThat(n.human()).contains("hive blue", "has the model");
    });
    assertThat(action(run, "infer_pick")).hasValueSatisfying(n -> {
      assertThat(n.hiveId()).isEqualTo("blue");
      assertThat(n.human()).contains("on hive blue");
    });
    assertThat(run.text()).isNotEmpty();
    // the worker binds its hive's address: the URL the queen calls is reachable from elsewhere
    assertThat(status().workers()).filteredOn(w -> "blue".equals(w.hiveId()))
        .singleElement().satisfies(w -> assertThat(w.url()).startsWith("http://127.0.0.2:"));
    // the spawned worker is in the live registry: the next request uses it, spawning nothing
    JobRun again = inferOk(8);
    assertThat(action(again, "infer_spawn")).isEmpty();
    assertThat(action(again, "infer_pick")).hasValueSatisfying(n -> assertThat(n.human())
        .contains("idle, has the model"));
  }

  @Test
  void aSecondConcurrentRequestWaitsAtTheQueenAndIsServed() throws Exception {
    inferOk(4); // a ready worker on blue
    Submitted first = client.submit(infer(Operation.Infer.MAX_TOKENS_LIMIT));
    try (JobStream stream = client.stream(first.jobId(), 0)) {
      InferenceTest.awaitToken(stream); // the worker's one slot is taken
      Submitted a = client.submit(infer(8));
      Submitted b = client.submit(infer(8));
      try (JobStream sa = client.stream(a.jobId(), 0);
          JobStream sb = client.stream(b.jobId(), 0)) {
        // both wait: one first in line for the slot, one behind it in the model's queue
        List<String> waits = List.of(awaitWait(sa).human(), awaitWait(sb).human());
        assertThat(waits).anySatisfy(h -> assertThat(h).contains("first in line"));
        assertThat(waits).anySatisfy(h -> assertThat(h)
            .contains("a free slot at a worker with model demo", "0 ahead of this job"));

        client.cancel(first.jobId()); // frees the slot: the two are served in turn
        InferenceTest.drainToDone(stream);
        assertThat(InferenceTest.drainToDone(sa).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(InferenceTest.drainToDone(sb).status()).isEqualTo(JobStatus.SUCCEEDED);
      }
    }
  }

  /** Reads {@code stream} up to the narration that says the job waits, and returns it. */
  private static Narration awaitWait(JobStream stream) throws Exception {
    io.rbee.narration.sse.SseEvent e;
    while ((e = stream.next()) != null) {
      if (io.rbee.narration.JobEvent.NARRATION.equals(e.event())) {
        Narration n = io.rbee.narration.Json.read(e.data(), Narration.class);
        if ("infer_busy".equals(n.action()) || "wait_queued".equals(n.action())) {
          return n;
        }
      }
      assertThat(e.event()).as("the job ended before it waited").isNotEqualTo("done");
    }
    throw new AssertionError("stream ended before the job waited");
  }

  @Test
  void aFrozenHiveGoesStaleGetsNoWorkAndComesBackAfterSigcont() throws Exception {
    blue.signal("STOP");
    long stoppedAt = System.nanoTime();
    Awaitility.await().atMost(Duration.ofMillis(STALE_MS + SLACK_MS + 2_000))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> hiveInStatus("blue").map(h -> "stale".equals(h.liveness())).orElse(false));
    long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
    assertThat(tookMs).as("stale within 3 beats (+ slack)").isLessThan(STALE_MS + SLACK_MS);
    assertThat(hiveInStatus("blue")).hasValueSatisfying(h ->
        assertThat(h.state()).isEqualTo("unreachable"));
    assertThat(hiveInStatus("green")).hasValueSatisfying(h ->
        assertThat(h.liveness()).isEqualTo("fresh"));

    // the only hive with the model is stale: no work goes to it
    JobRun refused = JobRun.of(client, infer(4));
    assertThat(refused.done().status()).isEqualTo(JobStatus.FAILED);
    assertThat(refused.done().errorKind()).isEqualTo("model_not_found");
    assertThat(refused.done().error()).contains("could download it: green");
    assertThat(action(refused, "infer_skip_hive")).hasValueSatisfying(n ->
        assertThat(n.hiveId()).isEqualTo("blue"));

    blue.signal("CONT");
    awaitFresh("blue");
    JobRun served = inferOk(4);
    assertThat(action(served, "infer_pick")).hasValueSatisfying(n ->
        assertThat(n.hiveId()).isEqualTo("blue"));
  }

  @Test
  void aHiveKilledMidJobFailsThatJobWithinTheStaleTimeNamingTheHive() throws Exception {
    inferOk(4);
    Submitted job = client.submit(infer(Operation.Infer.MAX_TOKENS_LIMIT));
    Done done;
    long killedAt;
    try (JobStream stream = client.stream(job.jobId(), 0)) {
      InferenceTest.awaitToken(stream);
      blue.kill();
      killedAt = System.nanoTime();
      done = InferenceTest.drainToDone(stream);
    }
    long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.errorKind()).isIn("hive_stale", "worker_lost");
    assertThat(done.error()).contains("hive blue");
    assertThat(tookMs).as("failed within the stale time (+ slack)")
        .isLessThan(STALE_MS + SLACK_MS);
    assertThat(client.healthy()).isTrue();
  }

  @Test
  void afterTheQueenIsKilledAndRestartedTheHivesReRegisterAndTheirWorkersAreUsedAgain()
      throws Exception {
    JobRun before = inferOk(4);
    String worker = action(before, "infer_pick").orElseThrow().workerId();

    queen.kill();
    queen = startQueen(); // same RBEE_HOME, same port: the hives never stopped beating
    client = queen.client();
    awaitFresh("blue", "green");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status().workers().stream()
        .map(WorkerInfo::workerId).anyMatch(worker::equals));

    JobRun after = inferOk(4);
    assertThat(action(after, "infer_spawn")).as(after.transcript()).isEmpty();
    assertThat(action(after, "infer_pick")).hasValueSatisfying(n -> {
      assertThat(n.workerId()).isEqualTo(worker);
      assertThat(n.hiveId()).isEqualTo("blue");
    });
  }
}
