package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.keeper.queen.HttpQueenApi;
import io.rbee.keeper.queen.QueenToken;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.Narrator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real keeper (job client over HTTP) against a tiny real queen: Javalin on port 0 with the
 * shared {@link JobServer} and a test operation handler.
 */
class RealQueenTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path home;

  /** A row of the test queen's Status result (a record keeps the column order). */
  record Hive(String hiveId, String state) {}

  private Broadcaster broadcaster;
  private JobServer jobs;
  private DaemonHttp http;

  @BeforeEach
  void startQueen() {
    broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
    Narrator narrate = Narrator.of("queen", broadcaster);
    jobs = new JobServer(JobServer.Options.of("queen", Set.of("Status", "HiveCheck"))
        .withBroadcaster(broadcaster), (operation, job) -> {
          job.narrate("status").human("Looking at {} hives", 1).emit();
          if (operation instanceof Operation.HiveCheck check) {
            throw new OperationException(ErrorKind.HIVE_UNREACHABLE,
                "hive " + check.hiveId() + " does not answer");
          }
          job.result(Map.of("hives", List.of(new Hive("localhost", "running"))));
        });
    http = new DaemonHttp("queen", TOKEN, cfg -> {
      cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
      cfg.routes.get("/v1/hives/{hive}/workers/{id}/logs", ctx -> {
        if (!ctx.pathParam("id").equals("w-1")) {
          throw new ApiException(404, "worker_not_found",
              "no worker \"" + ctx.pathParam("id") + "\" on hive " + ctx.pathParam("hive"));
        }
        ctx.contentType("text/plain").result("log of w-1, tail " + ctx.queryParam("tail") + "\n");
      });
      jobs.routes(cfg);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stopQueen() {
    http.stop();
    jobs.close();
  }

  private Cli.Result rbee(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--queen-url";
    all[1] = http.baseUrl();
    System.arraycopy(args, 0, all, 2, args.length);
    return rbeeWith(Map.of(TokenFile.ENV, TOKEN.value()), all);
  }

  /** {@code rbee} whose token comes from {@code env} (or, without RBEE_TOKEN, from home). */
  private Cli.Result rbeeWith(Map<String, String> env, String... all) {
    QueenToken token = new QueenToken(home, env);
    return new Cli().queens(url -> new HttpQueenApi(url, token)).env("RBEE_NO_AUTOSTART", "1")
        .run(all);
  }

  @Test
  void aWrongTokenExitsSevenNamingWhereItCameFromNeverItsValue() {
    String wrong = "rbee_" + "n".repeat(43);
    Cli.Result result = rbeeWith(Map.of(TokenFile.ENV, wrong), "--queen-url", http.baseUrl(),
        "jobs", "submit", "{\"Status\":{}}");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
    assertThat(result.lastErrLine()).startsWith("error: queen at " + http.baseUrl()
        + " refused the token from RBEE_TOKEN (environment)");
    assertThat(result.toString()).doesNotContain(wrong).doesNotContain(TOKEN.value());
  }

  @Test
  void noTokenAtAllExitsSevenNamingTheFileItLookedFor() throws Exception {
    Cli.Result none = rbeeWith(Map.of(), "--queen-url", http.baseUrl(), "status");

    assertThat(none.exitCode()).as(none.toString()).isEqualTo(7);
    assertThat(none.lastErrLine()).contains("no token to send: RBEE_TOKEN is unset and "
        + home.resolve("token") + " does not exist");

    Files.writeString(home.resolve("token"), "rbee_" + "f".repeat(43));
    Cli.Result other = rbeeWith(Map.of(), "--queen-url", http.baseUrl(), "status");

    assertThat(other.exitCode()).as(other.toString()).isEqualTo(7);
    assertThat(other.lastErrLine()).contains("refused the token from the token file "
        + home.resolve("token")).doesNotContain("fffff");
  }

  @Test
  void submittedJobStreamsLiveAndExitsZero() {
    Cli.Result result = rbee("jobs", "submit", "{\"Status\":{}}");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("[queen     ] status             Looking at 1 hives");
    assertThat(result.out()).isEqualTo("hives:\n  HIVE_ID    STATE\n  localhost  running\n");
  }

  @Test
  void failingJobExitsOneWithTheErrorLineLast() {
    Cli.Result result = rbee("hive", "check", "--hive", "gpu9");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("ERROR hive gpu9 does not answer");
    assertThat(result.lastErrLine()).isEqualTo("error: hive gpu9 does not answer");
  }

  @Test
  void operationTheQueenRejectsIsAUsageErrorWithItsMessage() {
    Cli.Result result = rbee("model", "list");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("error: rejected by queen at " + http.baseUrl())
        .contains("ModelList").contains("expected one of: Status, HiveCheck");
  }

  @Test
  void jsonLinesComeStraightFromTheStream() {
    Cli.Result result = rbee("--json", "status");

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).hasSize(3);
    assertThat(result.outLines().get(0)).startsWith("{\"id\":1,\"event\":\"narration\"");
    assertThat(result.outLines().get(2)).startsWith("{\"id\":3,\"event\":\"done\"");
  }

  @Test
  void workerLogsAreReadAsText() {
    Cli.Result result = rbee("worker", "logs", "--tail", "7", "w-1");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("log of w-1, tail 7\n");
  }

  @Test
  void unknownWorkerLogsExitOneWithTheQueensMessage() {
    Cli.Result result = rbee("worker", "logs", "w-404");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: not found on queen at " + http.baseUrl()
        + ": no worker \"w-404\" on hive localhost\n");
  }

  @Test
  void closedPortWithAutostartOffExitsFourWithOneLine() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    Cli.Result result = rbeeWith(Map.of(), "--queen-url", "http://127.0.0.1:" + closed, "jobs",
        "submit", "{\"Status\":{}}");

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.errLines()).containsExactly("error: queen at http://127.0.0.1:" + closed
        + " is not reachable (not running? start it with: rbee queen start)");
    assertThat(result.out()).isEmpty();
  }
}
