package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe by default, on real processes: a queen, the hive it started and a worker of that hive,
 * all of one installation whose token is planted before the queen starts. Every path of every
 * daemon but {@code GET /health} refuses a request without the token, with a wrong one, and
 * with the token of another installation; the planted token appears in no stream, no job
 * info, no log file of the installation, and no daemon's command line.
 */
class AuthTest {
  // not rbee_-shaped: only the daemons' own knowledge of their token can mask it
  private static final String PLANTED = "planted-Secret-6b1e9f0c-auth-test";
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(30)).build();

  @TempDir static Path home;
  @TempDir static Path otherHome;
  static Daemon queen;
  static JobClient client;
  static String hiveUrl;
  static WorkerInfo worker;
  static AccessToken other;
  static final List<String> readable = new ArrayList<>();

  @BeforeAll
  static void startTheInstallation() throws Exception {
    Path token = home.resolve("token");
    Files.writeString(token, PLANTED + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    other = TokenFile.readOrCreate(TokenFile.path(otherHome));
    queen = Daemon.queen(home);
    assertThat(queen.token().value()).isEqualTo(PLANTED);
    client = queen.client();
    readable.addAll(run(new Operation.HiveStart("localhost", FreePorts.next())));
    hiveUrl = JobRunResults.hiveInfo(client, "localhost").url();
    readable.addAll(run(new Operation.ModelDownload("localhost", "demo")));
    JobRun infer = JobRun.of(client, new Operation.Infer(null, "demo", "Once upon a time", 4,
        0.0, null, null, null, null));
    assertThat(infer.done().status()).as(infer.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    readable.add(infer.transcript());
    JobRun list = JobRun.of(client, new Operation.WorkerList("localhost"));
    worker = JobRunResults.lastResult(list, WorkerInfo[].class)[0];
    readable.add(list.transcript());
  }

  @AfterAll
  static void stop() {
    queen.close();
  }

  @Test
  void everyPathOfEveryDaemonButHealthRefusesAMissingWrongOrForeignToken() throws Exception {
    Map<String, List<String>> routes = Map.of(
        queen.url(), List.of("POST /v1/jobs", "GET /v1/jobs/job-1", "GET /v1/jobs/job-1/stream",
            "DELETE /v1/jobs/job-1", "GET /v1/hives/localhost/workers/" + worker.workerId()
                + "/logs", "POST /v1/chat/completions", "POST /v1/completions",
            "POST /v1/embeddings", "GET /v1/models", "GET /v1/models/demo", "GET /v1/cluster",
            "GET /nope"),
        hiveUrl, List.of("POST /v1/jobs", "GET /v1/jobs/job-1", "GET /v1/jobs/job-1/stream",
            "DELETE /v1/jobs/job-1", "GET /v1/workers", "GET /v1/models", "GET /v1/devices",
            "GET /v1/workers/" + worker.workerId() + "/logs", "GET /nope"),
        worker.url(), List.of("POST /v1/jobs", "GET /v1/jobs/job-1",
            "GET /v1/jobs/job-1/stream", "DELETE /v1/jobs/job-1", "GET /nope"));
    List<String> refusals = new ArrayList<>();
    for (var daemon : routes.entrySet()) {
      assertThat(send(daemon.getKey(), "GET /health", null).code())
          .as("GET /health of " + daemon.getKey() + " needs no token").isEqualTo(200);
      for (String route : daemon.getValue()) {
        for (String auth : new String[] {null, "Bearer " + PLANTED + "x",
            "Bearer " + other.value(), PLANTED}) {
          try (Response r = send(daemon.getKey(), route, auth)) {
            String body = r.body().string();
            String what = daemon.getKey() + " " + route + " with " + auth + ": " + body;
            assertThat(r.code()).as(what).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(what).startsWith("Bearer");
            assertThat(body).as(what).contains("\"code\":\"unauthorized\"")
                .doesNotContain(PLANTED).doesNotContain(other.value());
            refusals.add(what);
          }
        }
        try (Response r = send(daemon.getKey(), route, "Bearer " + PLANTED)) {
          assertThat(r.code()).as(daemon.getKey() + " " + route + " with the token")
              .isNotEqualTo(401);
        }
      }
    }
    assertThat(refusals).hasSize(4 * (12 + 9 + 5));
    // the dashboard's page is open on the queen (its data is not: GET /v1/cluster above)
    assertThat(send(queen.url(), "GET /", null).code()).isEqualTo(200);
  }

  @Test
  void aQueenOfAnotherInstallationCannotUseThisHive() throws Exception {
    try (Daemon foreign = Daemon.queen(otherHome)) {
      int port = Integer.parseInt(hiveUrl.substring(hiveUrl.lastIndexOf(':') + 1));
      JobRun start = JobRun.of(foreign.client(), new Operation.HiveStart("localhost", port));

      assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.FAILED);
      assertThat(start.done().errorKind()).isEqualTo(ErrorKind.UNAUTHORIZED.wire());
      assertThat(start.done().error()).contains("refuses this queen's token");
    }
  }

  @Test
  void aKeeperWithAnotherInstallationsTokenExitsSevenAndShowsNoToken() throws Exception {
    Keeper.Result r = Keeper.run(home, Map.of("RBEE_TOKEN", other.value()),
        "--queen-url", queen.url(), "status");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
    assertThat(r.lastErrLine()).contains("refused the token from RBEE_TOKEN");
    assertThat(r.toString()).doesNotContain(other.value()).doesNotContain(PLANTED);
  }

  @Test
  void thePlantedTokenIsInNoStreamJobInfoLogOrCommandLine() throws Exception {
    // things that try to make it show: it in an operation's field, and in refused headers
    readable.addAll(run(new Operation.ModelDownload("localhost",
        "http://127.0.0.1:" + FreePorts.next() + "/m.gguf?" + PLANTED)));
    send(queen.url(), "GET /v1/jobs/job-1", PLANTED + " " + PLANTED).close();
    send(hiveUrl, "GET /v1/workers", "Basic " + PLANTED).close();
    JobRun status = JobRun.of(client, new Operation.Status());
    readable.add(status.transcript());
    for (Path log : files(home.resolve("logs"))) {
      readable.add(log + ":\n" + Files.readString(log));
    }
    for (long pid : List.of(queen.pid(), hivePid(), worker.pid())) {
      readable.add("cmdline of " + pid + ": "
          + Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' '));
    }

    assertThat(readable).allSatisfy(text -> assertThat(text).doesNotContain(PLANTED));
    String all = String.join("\n", readable);
    assertThat(all).contains("refused (401)").contains("[REDACTED]")
        .contains("-Drbee.program=io.rbee.worker.WorkerMain");
    assertThat(files(home)).as("files of the installation that hold the token")
        .filteredOn(f -> read(f).contains(PLANTED)).containsExactly(home.resolve("token"));
  }

  /** Runs {@code op}; its stream, its {@code done} and its job info (what a client can read). */
  private static List<String> run(Operation op) throws Exception {
    JobRun run = JobRun.of(client, op);
    return List.of(run.transcript(), Json.write(run.done()),
        Json.write(client.status(run.submitted().jobId())));
  }

  private static long hivePid() throws Exception {
    return JobRunResults.hiveInfo(client, "localhost").pid();
  }

  private static Response send(String base, String route, String authorization)
      throws Exception {
    String[] parts = route.split(" ", 2);
    Request.Builder b = new Request.Builder().url(base + parts[1]).method(parts[0],
        parts[0].equals("POST") ? RequestBody.create("{\"operation\": {\"Status\": {}}}",
            MediaType.get("application/json")) : null);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.newCall(b.build()).execute();
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  private static String read(Path f) {
    try {
      return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
