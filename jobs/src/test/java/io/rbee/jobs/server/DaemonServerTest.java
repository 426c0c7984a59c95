package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.auth.TestToken;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The one daemon assembly: /health, the job API, own routes, start, port, close. */
class DaemonServerTest {
  @Test
  void servesHealthTheJobApiAndItsOwnRoutesThenCloseEndsJobsAndFreesThePort()
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    DaemonServer server = DaemonServer.of(JobServer.Options.of(Daemon.HIVE), (op, job) -> {
      never.await(); // runs until the close cancels it
    }, TestToken.TOKEN)
        .health(ctx -> ctx.json(Map.of("status", "ok", "who", "probe")))
        .routes(cfg -> cfg.routes.get("/v1/own", ctx -> ctx.result("mine")))
        .start("127.0.0.1", 0);
    String url = server.baseUrl();
    Submitted job;
    try {
      assertThat(Http.get(server.baseUrl() + "/health").json().get("who").asText())
          .isEqualTo("probe");
      assertThat(Http.get(server.baseUrl() + "/v1/own").body()).isEqualTo("mine");
      Http.Answer refused = Http.post(server.baseUrl() + "/v1/jobs",
          "{\"operation\": {\"Status\": {}}}");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().get("error").get("expected").toString())
          .isEqualTo("[\"HiveCheck\",\"WorkerSpawn\",\"WorkerList\",\"WorkerGet\","
              + "\"WorkerKill\",\"ModelDownload\",\"ModelList\",\"ModelGet\",\"ModelDelete\"]");
      job = server.jobs().submit(new Operation.HiveCheck(null));
    } finally {
      server.close();
    }

    assertThat(server.jobs().info(job.jobId()).orElseThrow().status())
        .isEqualTo(JobStatus.CANCELLED);
    assertThatThrownBy(() -> Http.get(url + "/health"))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aPortInUseFailsTheStartAndClosesTheJobServer() {
    DaemonServer first = DaemonServer.of(JobServer.Options.of(Daemon.WORKER), (op, job) -> {},
        TestToken.TOKEN)
        .start("127.0.0.1", 0);
    try {
      DaemonServer second = DaemonServer.of(JobServer.Options.of(Daemon.WORKER), (op, job) -> {},
        TestToken.TOKEN);

      assertThatThrownBy(() -> second.start("127.0.0.1", first.port()))
          .isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> second.jobs().submit(
          new Operation.Infer(null, "m", "p", null, null, null, null, null, null)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    } finally {
      first.close();
    }
  }
}
