package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hive that stops answering without closing anything (SIGSTOP: its sockets stay open, its
 * kernel even accepts new connections) is noticed by silence: the queen's relay asks the hive
 * for a keep-alive every second, so the jobs relayed from it fail within seconds, not after
 * minutes of read timeouts.
 */
class HiveStoppedTest {
  @TempDir Path home;
  Daemon queen;
  JobClient client;
  long hivePid;

  @BeforeEach
  void startQueenAndHive() throws Exception {
    queen = Daemon.queen(home);
    client = queen.client();
    JobRun start = JobRun.of(client, new Operation.HiveStart("localhost", FreePorts.next()));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    HiveInfo hive = JobRunResults.hiveInfo(client, "localhost");
    hivePid = hive.pid();
  }

  @AfterEach
  void stop() throws Exception {
    signal("CONT", hivePid); // let it run again so it can be killed cleanly
    queen.close();
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
        .redirectErrorStream(true).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aStoppedHiveFailsTheRelayedJobWithinSeconds() throws Exception {
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 7));
    try (FileServer files = FileServer.start()) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 60)); // ~60 s: a long job
      Submitted job = client.submit(
          new Operation.ModelDownload("localhost", files.url("/slow.gguf").toString()));
      CompletableFuture<Done> done = Downloading.follow(client, job.jobId());

      signal("STOP", hivePid);
      long stoppedAt = System.nanoTime();

      // silent 3 s (three 1 s keep-alives), then 3 s of resume attempts: about 6 s; before,
      // two 30 s read timeouts
      Done result = done.get(20, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
      assertThat(result.status()).isEqualTo(JobStatus.FAILED);
      // the hive's heartbeats stop too: whichever notices first, silence on the stream
      // (hive_lost) or the live registry (hive_stale, after 3 missed beats), names the hive
      assertThat(result.errorKind()).isIn("hive_lost", "hive_stale");
      assertThat(result.error()).contains("hive localhost");
      assertThat(tookMs).as("failed within the resume window after silence").isLessThan(9_000);
      assertThat(client.healthy()).isTrue();
    }
  }
}
