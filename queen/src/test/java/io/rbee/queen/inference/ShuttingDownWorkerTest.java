package io.rbee.queen.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Token;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.queen.hives.HiveRegistry;
import io.rbee.queen.hives.LiveHives;
import io.rbee.testkit.jobs.TestJob;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that refuses a job because it is shutting down (503 {@code shutting_down}: what a
 * worker's job server answers once its hive unloads it) is treated like one that did not
 * answer: the job is placed again, on another worker.
 */
class ShuttingDownWorkerTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path queenDir;
  private final LiveHives live = new LiveHives(null);
  private DaemonServer leaving;
  private DaemonServer staying;

  @AfterEach
  void close() {
    for (DaemonServer d : new DaemonServer[] {leaving, staying}) {
      if (d != null) {
        d.close();
      }
    }
    live.close();
  }

  /** A worker's job API whose one job says {@code text}. */
  private static DaemonServer worker(String text) {
    return DaemonServer.of(JobServer.Options.of(Daemon.WORKER), (op, job) -> job.token(text),
        TOKEN).start("127.0.0.1", 0);
  }

  private static WorkerInfo ready(String id, DaemonServer server) {
    return new WorkerInfo(id, "blue", "demo", "cpu", "ready", 1L, server.port(),
        server.baseUrl(), "2026-01-01T00:00:00Z", "/tmp/" + id + ".log", null, 1, false, 0,
        60_000L, 300_000L);
  }

  @Test
  void aJobRefusedByAWorkerThatIsShuttingDownIsPlacedAgain() throws Exception {
    leaving = worker("from the leaving worker");
    // as a stopping worker does: its job server closes first, its HTTP side still answers
    leaving.jobs().close();
    staying = worker("served");
    // listed first: the scheduler tries it first
    live.beat(new HiveHeartbeat("blue", "http://127.0.0.1:1", 60_000, 1, List.of(),
        List.of(ready("worker-leaving", leaving), ready("worker-staying", staying)), List.of()));
    Scheduler scheduler = new Scheduler(new HiveRegistry(queenDir, null, live, TOKEN), 10);
    TestJob job = TestJob.open();

    scheduler.run(new Operation.Infer(null, "demo", "hi", 4, 0.0, null, null, 1L, null), job);

    List<Narration> retries = job.narrations("infer_retry");
    assertThat(retries).singleElement().satisfies(n -> {
      assertThat(n.workerId()).isEqualTo("worker-leaving");
      assertThat(n.human()).contains("is shutting down", "placing the request again");
    });
    assertThat(job.narrations("infer_route")).extracting(Narration::workerId)
        .containsExactly("worker-leaving", "worker-staying");
    assertThat(job.channel().snapshot()).filteredOn(e -> e.event().equals(JobEvent.TOKEN))
        .extracting(e -> Json.read(e.data(), Token.class).text())
        .containsExactly("served");
  }
}
