package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Narration;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of concurrent {@code Infer} jobs on one queen, through a real hive and a real
 * llama.cpp worker: they all wait their turn at the queen (told their place) instead of being
 * refused by the worker's queue, and quick operations answer at once meanwhile.
 */
class ConcurrentInferTest {
  private static final int JOBS = 300;
  private static final long QUICK_MS = 1_000;
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .callTimeout(Duration.ofSeconds(20)).build();

  @TempDir Path home;
  Daemon queen;
  JobClient client;

  @BeforeEach
  void startQueenHiveAndModel() throws Exception {
    queen = Daemon.queen(home);
    client = queen.client();
    JobRun start = JobRun.of(client, new Operation.HiveStart("localhost", FreePorts.next()));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    JobRun demo = JobRun.of(client, new Operation.ModelDownload("localhost", "demo"));
    assertThat(demo.done().status()).as(demo.transcript()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @AfterEach
  void stop() {
    queen.close();
  }

  @Test
  void hundredsOfConcurrentInfersAllCompleteWhileStatusAnswersWithinASecond() throws Exception {
    // no worker yet: the first job spawns it, the others wait in the model's queue at the
    // queen (the job at its front for the worker's free slot)
    Operation.Infer infer = new Operation.Infer(null, "demo", "Once upon a time", 6, 0.0, null,
        null, 1L, null);
    List<Future<JobRun>> runs = new ArrayList<>();
    List<Long> quick = new CopyOnWriteArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      // submitted one after the other (a few ms each), followed at once and all together: a
      // burst of hundreds of new connections in the same millisecond is another test's subject
      for (int i = 0; i < JOBS; i++) {
        Submitted job = client.submit(infer);
        runs.add(threads.submit(() -> JobRun.follow(client, job)));
      }
      // quick operations, one after the other, for as long as the generations run
      while (runs.stream().anyMatch(f -> !f.isDone())) {
        quick.add(timed(() -> JobRun.of(client, new Operation.Status()).done()));
        quick.add(timed(this::health));
      }
      List<JobRun> done = new ArrayList<>();
      for (Future<JobRun> f : runs) {
        done.add(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(done).allSatisfy(r -> assertThat(r.done().status()).as(r.transcript())
          .isEqualTo(JobStatus.SUCCEEDED));
      assertThat(done).allSatisfy(r -> assertThat(r.text()).isNotEmpty());
      List<Narration> waits = done.stream().flatMap(r -> r.narration().stream())
          .filter(n -> "queen".equals(n.actor()) && "wait_queued".equals(n.action())).toList();
      assertThat(waits).as("jobs told their place in the queen's queue")
          .anySatisfy(n -> assertThat(n.human()).contains("a free slot at a worker with model demo")
              .containsPattern("[1-9]\\d* ahead of this job"));
      assertThat(done).noneSatisfy(r -> assertThat(r.narration())
          .anySatisfy(n -> assertThat(n.errorKind()).isEqualTo("worker_busy")));
      System.out.println("Status and /health latencies (ms): " + quick);
      assertThat(quick).as("Status and /health latencies (ms) during %s jobs", JOBS)
          .hasSizeGreaterThanOrEqualTo(2).allSatisfy(ms -> assertThat(ms).isLessThan(QUICK_MS));
    }
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static long timed(Call call) throws Exception {
    long t0 = System.nanoTime();
    Object result = call.call();
    if (result instanceof Done d) {
      assertThat(d.status()).isEqualTo(JobStatus.SUCCEEDED);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private Object health() throws Exception {
    try (Response r = HTTP.newCall(new Request.Builder().url(queen.url() + "/health").build())
        .execute()) {
      assertThat(r.code()).as("queen /health: %s", r.body().string()).isEqualTo(200);
    }
    return null;
  }
}
