package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code rbee} CLI against a real queen: output and exit codes. */
class KeeperTest {
  @TempDir static Path home;
  static Daemon queen;

  @BeforeAll
  static void startQueen() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
  }

  @AfterAll
  static void stopQueen() {
    queen.close();
  }

  @Test
  void succeededJobExitsZeroAndPrintsNarration() throws Exception {
    Keeper.Result r = Keeper.run(home, "--queen-url", queen.url(), "hive", "check");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout() + r.stderr()).contains("hive_check_start", "hive_check_done");
  }

  @Test
  void failedJobExitsOneWithTheReasonAsLastLine() throws Exception {
    Keeper.Result r = Keeper.run(home, "--queen-url", queen.url(), "model", "get", "no-such-model");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.lastErrLine()).startsWith("error:").contains("no-such-model");
    assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void cancelledJobExitsThree() throws Exception {
    JobClient client = queen.client();
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 11));
    try (FileServer files = FileServer.start()) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 60));
      Submitted job = client.submit(
          new Operation.ModelDownload("localhost", files.url("/slow.gguf").toString()));
      client.cancel(job.jobId());
      Awaitility.await().until(() -> client.status(job.jobId()).status().isFinal());
      assertThat(client.status(job.jobId()).status()).isEqualTo(JobStatus.CANCELLED);

      Keeper.Result r = Keeper.run(home, "--queen-url", queen.url(), "jobs", "follow", job.jobId());
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    }
  }

  @Test
  void unreachableQueenExitsFourWithOneLine() throws Exception {
    String closed = "http://127.0.0.1:" + FreePorts.next();
    Keeper.Result r =
        Keeper.run(home, Map.of("RBEE_NO_AUTOSTART", "1"), "--queen-url", closed, "status");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.stderr()).contains(closed).doesNotContain("Exception");
  }

  @Test
  void usageErrorExitsTwo() throws Exception {
    Keeper.Result r = Keeper.run(home, "--queen-url", queen.url(), "frobnicate");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr()).containsIgnoringCase("usage");
  }

  @Test
  void jsonFlagPrintsOneEventPerLine() throws Exception {
    Keeper.Result ok = Keeper.run(home, "--queen-url", queen.url(), "--json", "jobs", "submit",
        "{\"QueenCheck\": {}}");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout().strip().lines()).isNotEmpty().allSatisfy(
        line -> assertThat(Json.MAPPER.readTree(line).has("event")).isTrue());
  }

  @Test
  void queenStopKeepHivesLeavesTheHiveRunningAndPlainStopStopsIt(@TempDir Path ownHome)
      throws Exception {
    String url = "http://127.0.0.1:" + FreePorts.next();
    int hivePort = FreePorts.next();
    String hive = "http://127.0.0.1:" + hivePort;
    try {
      Keeper.Result start = Keeper.run(ownHome, "--queen-url", url, "hive", "start", "--port",
          Integer.toString(hivePort));
      assertThat(start.exitCode()).as(start.toString()).isZero();

      Keeper.Result keep = Keeper.run(ownHome, "--queen-url", url, "queen", "stop", "--keep-hives");
      assertThat(keep.exitCode()).as(keep.toString()).isZero();
      assertThat(JobClient.withoutToken(url).healthy()).isFalse();
      assertThat(JobClient.withoutToken(hive).healthy()).as("hive after queen stop --keep-hives").isTrue();
      assertThat(ownHome.resolve("run").resolve("queen-keep-hives")).doesNotExist();

      // a new queen finds the hive in hives.json; a plain stop takes it down with the queen
      Keeper.Result status = Keeper.run(ownHome, "--queen-url", url, "hive", "status");
      assertThat(status.exitCode()).as(status.toString()).isZero();
      Keeper.Result stop = Keeper.run(ownHome, "--queen-url", url, "queen", "stop");
      assertThat(stop.exitCode()).as(stop.toString()).isZero();
      Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
          .until(() -> !JobClient.withoutToken(hive).healthy());
    } finally {
      QueenPidFile.killIfRunning(ownHome);
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains(ownHome.toString()))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aCommandThatNeedsTheQueenStartsItAndSaysSo(@TempDir Path ownHome) throws Exception {
    String url = "http://127.0.0.1:" + FreePorts.next();
    try {
      Keeper.Result r = Keeper.run(ownHome, "--queen-url", url, "status");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.stderr()).contains("starting");
      assertThat(JobClient.withoutToken(url).healthy()).isTrue();
      // the home had no token: the queen the keeper started made it, and the keeper used it
      assertThat(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(ownHome.resolve("token")))).isEqualTo("rw-------");
      Keeper.Result stop = Keeper.run(ownHome, "--queen-url", url, "queen", "stop");
      assertThat(stop.exitCode()).as(stop.toString()).isZero();
      Awaitility.await().until(() -> !JobClient.withoutToken(url).healthy());
    } finally {
      QueenPidFile.killIfRunning(ownHome);
    }
  }
}
