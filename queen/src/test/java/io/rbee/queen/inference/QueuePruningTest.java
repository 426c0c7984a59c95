package io.rbee.queen.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.testkit.jobs.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler keeps a model's queue only while a job uses it: requests name models, and a
 * queue kept for every name ever asked for would grow the queen (and its {@code /metrics})
 * without bound.
 */
class QueuePruningTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path queenDir;
  private final LiveHives live = new LiveHives(null);
  private final CountDownLatch release = new CountDownLatch(1);
  private DaemonServer worker;

  @AfterEach
  void close() {
    release.countDown();
    if (worker != null) {
      worker.close();
    }
    live.close();
  }

  private Scheduler schedulerWithADemoWorker() {
    // the worker's one job waits for the test: a generation that is still running
    worker = DaemonServer.of(JobServer.Options.of(Daemon.WORKER), (op, job) -> {
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the generation");
      }
      job.token("done");
    }, TOKEN).start("127.0.0.1", 0);
    WorkerInfo ready = new WorkerInfo("worker-1", "blue", "demo", "cpu", "ready", 1L,
        worker.port(), worker.baseUrl(), "2026-01-01T00:00:00Z", "/tmp/worker-1.log", null, 1,
        false, 0, 60_000L, 300_000L);
    live.beat(new HiveHeartbeat("blue", "http://127.0.0.1:1", 60_000, 1, List.of(),
        List.of(ready), List.of()));
    return new Scheduler(new HiveRegistry(queenDir, null, live, TOKEN), 10);
  }

  private static Map<String, Double> queues(Scheduler scheduler) {
    Map<String, Double> depth = new ConcurrentHashMap<>();
    scheduler.reportQueues((value, labels) -> depth.merge(labels[2], value, Double::sum));
    return depth;
  }

  private static Operation.Infer infer(String model) {
    return new Operation.Infer(null, model, "hi", 4, 0.0, null, null, 1L, null);
  }

  @Test
  void aQueueIsReportedWhileItsJobRunsAndGoneAfterIt() throws Exception {
    Scheduler scheduler = schedulerWithADemoWorker();
    TestJob job = TestJob.open();
    Thread running = Thread.ofVirtual().start(() -> {
      try {
        scheduler.run(infer("demo"), job);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !job.narrations("infer_route").isEmpty());
    assertThat(queues(scheduler)).containsOnlyKeys("demo");

    release.countDown();
    running.join(10_000);
    assertThat(running.isAlive()).isFalse();
    assertThat(queues(scheduler)).isEmpty();
  }

  @Test
  void requestsForModelsNobodyHasLeaveNoQueueBehind() {
    Scheduler scheduler = schedulerWithADemoWorker();
    for (int i = 0; i < 200; i++) {
      String model = "no-such-model-" + i;
      assertThatThrownBy(() -> scheduler.run(infer(model), TestJob.open()))
          .isInstanceOfSatisfying(OperationException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND));
    }

    assertThat(queues(scheduler)).isEmpty();
  }
}
