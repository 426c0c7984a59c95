package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbee jobs list}, {@code logs} and {@code follow} as a user runs them (the real CLI as a
 * process) against a real queen, {@code follow} across a restart of that queen.
 */
class JobsCliTest {
  @TempDir Path home;
  private Daemon queen;

  @AfterEach
  void stop() {
    if (queen != null) {
      queen.close();
    }
  }

  @Test
  void listShowsTheJobsNewestFirstAndLogsReplaysOne() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    Keeper.Result status = rbee("status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    Keeper.Result failed = rbee("hive", "status", "--hive", "nope");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
    JobList jobs = queen.client().get("/v1/jobs", JobList.class);
    String failedId = jobs.jobs().get(0).jobId();
    String statusId = jobs.jobs().get(1).jobId();

    Keeper.Result list = rbee("jobs", "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    List<String> lines = list.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("OPERATION", "STATUS", "CREATED",
        "DURATION", "ERROR");
    assertThat(lines.get(1)).startsWith(failedId).contains("HiveStatus", "failed", "nope");
    assertThat(lines.get(2)).startsWith(statusId).contains("Status", "succeeded");

    Keeper.Result onlyFailed = rbee("jobs", "list", "--status", "failed", "--since", "1h");
    assertThat(onlyFailed.stdout().lines().skip(1)).singleElement().asString()
        .startsWith(failedId);
    Keeper.Result json = rbee("--json", "jobs", "list", "--operation", "Status");
    JsonNode doc = Json.MAPPER.readTree(json.stdout());
    assertThat(doc.get("jobs")).hasSize(1);
    assertThat(doc.get("jobs").get(0).get("job_id").asText()).isEqualTo(statusId);
    assertThat(doc.get("history").get("enabled").asBoolean()).isTrue();
    Keeper.Result badSince = rbee("jobs", "list", "--since", "soon");
    assertThat(badSince.exitCode()).as(badSince.toString()).isEqualTo(2);
    assertThat(badSince.stderr()).contains("since", "soon");

    Keeper.Result logs = rbee("jobs", "logs", statusId);
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.stdout()).isEqualTo(status.stdout()); // the result, as the live run printed
    assertThat(logs.stderr()).contains("status_hive");
    Keeper.Result failedLogs = rbee("jobs", "logs", failedId);
    assertThat(failedLogs.exitCode()).isEqualTo(1);
    assertThat(failedLogs.lastErrLine()).isEqualTo(failed.lastErrLine());
    Keeper.Result jsonLogs = rbee("jobs", "logs", statusId, "--json");
    List<JsonNode> events = jsonLogs.stdout().lines().map(JobsCliTest::json).toList();
    assertThat(events.getFirst().get("id").asLong()).isEqualTo(1);
    assertThat(events.getLast().get("event").asText()).isEqualTo("done");
  }

  @Test
  void followResumesAcrossAQueenRestart() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    int port = queen.port();
    JobClient client = queen.client();
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 7));
    try (FileServer files = FileServer.start()) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 60)); // ~60 s: a long job
      Submitted job = client.submit(
          new Operation.ModelDownload("localhost", files.url("/slow.gguf").toString()));
      try (Keeper.Running follow = Keeper.start(home, Map.of(), "--queen-url", queen.url(),
          "jobs", "follow", job.jobId())) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> follow.stderr().contains("download_progress")
                || follow.stderr().contains("%"));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/v1/jobs",
            JobList.class).jobs().stream().anyMatch(j -> j.jobId().equals(job.jobId())
                && j.status() == JobStatus.RUNNING)); // a read of the list flushes the history
        queen.kill();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> follow.stderr().contains("lost the queen"));
        queen = Daemon.start("queen", Daemon.QUEEN_MAIN, home, "127.0.0.1", port, "--local-hive");

        Keeper.Result r = follow.await();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).containsOnlyOnce("lost the queen").contains("resumed");
        assertThat(r.lastErrLine()).isEqualTo("error: the queen restarted while this job was"
            + " running");
      }
    }
  }

  private Keeper.Result rbee(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--queen-url";
    all[1] = queen.url();
    System.arraycopy(args, 0, all, 2, args.length);
    return Keeper.run(home, Map.of("RBEE_NO_AUTOSTART", "1"), all);
  }

  private static JsonNode json(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
