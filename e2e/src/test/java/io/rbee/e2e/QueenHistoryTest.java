package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queen's job history across restarts of a real queen process on the same
 * {@code RBEE_HOME}: jobs are listed and replay in full after a clean stop, and a job that was
 * running when the queen was killed is failed ({@code queen_restarted}) on the next start.
 */
class QueenHistoryTest {
  @TempDir Path home;
  private Daemon queen;

  @AfterEach
  void stop() {
    if (queen != null) {
      queen.close();
    }
  }

  @Test
  void jobsAreListedAndReplayInFullAfterACleanRestart() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    JobClient client = queen.client();
    List<JobRun> runs = new java.util.ArrayList<>();
    runs.add(JobRun.of(client, new Operation.Status()));
    runs.add(JobRun.of(client, new Operation.HiveCheck("localhost")));
    Path model = TinyModels.tiny(Files.createDirectories(home.resolve("source")), 7);
    try (FileServer files = FileServer.start()) {
      files.serve("/tiny.gguf", Files.readAllBytes(model));
      runs.add(JobRun.of(client,
          new Operation.ModelDownload("localhost", files.url("/tiny.gguf").toString())));
    }
    JobRun failing = JobRun.of(client, new Operation.HiveStatus("nope"));
    assertThat(failing.done().status()).isEqualTo(JobStatus.FAILED);
    runs.add(failing);

    queen.signal("TERM"); // the clean stop: the history is flushed and closed
    assertThat(queen.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    queen = Daemon.queen(home, "--local-hive");
    client = queen.client();

    JobList list = client.get("/v1/jobs", JobList.class);
    assertThat(list.history().enabled()).as(list.history().toString()).isTrue();
    assertThat(list.history().path()).endsWith("history.db");
    assertThat(list.jobs()).extracting(JobInfo::jobId).containsExactlyElementsOf(
        runs.reversed().stream().map(r -> r.submitted().jobId()).toList());
    for (JobRun run : runs) {
      String id = run.submitted().jobId();
      List<SseEvent> replay = new CopyOnWriteArrayList<>();
      Done done = client.follow(id, 0, replay::add);
      assertThat(replay).as(id).containsExactlyElementsOf(run.events());
      assertThat(done).isEqualTo(run.done());
      JobInfo info = client.status(id);
      assertThat(info.status()).isEqualTo(run.done().status());
      assertThat(info.lastEventId()).isEqualTo(run.events().getLast().numericId());
    }
    JobRun download = runs.get(2);
    List<SseEvent> resumed = new CopyOnWriteArrayList<>();
    client.follow(download.submitted().jobId(), 2, resumed::add);
    assertThat(resumed).containsExactlyElementsOf(
        download.events().subList(2, download.events().size()));
    assertThat(client.get("/v1/jobs?status=failed&operation=HiveStatus", JobList.class).jobs())
        .extracting(JobInfo::jobId).containsExactly(failing.submitted().jobId());
  }

  @Test
  void aJobRunningWhenTheQueenIsKilledIsFailedQueenRestartedOnTheNextStart() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    JobClient client = queen.client();
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 7));
    String jobId;
    try (FileServer files = FileServer.start()) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 60)); // ~60 s: a long job
      Submitted job = client.submit(
          new Operation.ModelDownload("localhost", files.url("/slow.gguf").toString()));
      jobId = job.jobId();
      // no resume attempts once the queen is gone: the follower ends at the kill
      CompletableFuture<Done> following =
          Downloading.follow(client.withResumeWindow(Duration.ZERO), jobId);
      // a read of the list flushes the history: the running job is on disk before the kill
      JobClient c = client;
      await().atMost(Duration.ofSeconds(10)).until(() -> c.get("/v1/jobs", JobList.class)
          .jobs().stream().anyMatch(j -> j.jobId().equals(job.jobId())
              && j.status() == JobStatus.RUNNING));
      queen.kill();
      following.handle((d, e) -> null).get(30, TimeUnit.SECONDS);
    }

    queen = Daemon.queen(home, "--local-hive");
    client = queen.client();
    JobInfo info = client.status(jobId);
    assertThat(info.status()).isEqualTo(JobStatus.FAILED);
    assertThat(info.errorKind()).isEqualTo("queen_restarted");
    assertThat(info.error()).isEqualTo("the queen restarted while this job was running");
    assertThat(client.get("/v1/jobs?status=failed", JobList.class).jobs())
        .extracting(JobInfo::jobId).containsExactly(jobId);

    List<SseEvent> replay = new CopyOnWriteArrayList<>();
    Done done = client.follow(jobId, 0, replay::add);
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.errorKind()).isEqualTo("queen_restarted");
    assertThat(replay.getFirst().numericId()).isEqualTo(1);
    assertThat(replay.getLast().event()).isEqualTo("done");
    assertThat(replay.getLast().numericId()).isEqualTo(info.lastEventId());
    assertThat(replay).anySatisfy(e -> assertThat(e.data()).contains("download_progress"));
  }

  @Test
  void aCorruptHistoryFileLeavesTheQueenRunningWithHistoryOffAndSaysWhy() throws Exception {
    Path file = home.resolve("queen").resolve("history.db");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not a database ".repeat(500));
    queen = Daemon.queen(home);
    JobClient client = queen.client();

    Done done = client.run(new Operation.Status(), e -> {});
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED); // jobs run, in memory only
    JobList list = client.get("/v1/jobs", JobList.class);
    assertThat(list.jobs()).hasSize(1);
    assertThat(list.history().enabled()).isFalse();
    assertThat(list.history().reason()).contains(file.toString()).contains("not a database")
        .contains("Move");
    assertThat(queen.logText()).contains("ERROR").contains("job history is OFF");
  }
}
