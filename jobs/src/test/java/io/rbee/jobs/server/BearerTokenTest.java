package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every path but {@code GET /health} needs the installation's bearer token: no header, another
 * scheme, an empty or a wrong token are 401 {@code unauthorized} with {@code WWW-Authenticate},
 * logged in one line that never holds what was sent.
 */
class BearerTokenTest {
  private static final String WRONG = "rbee_" + "w".repeat(43);
  private static TestDaemon daemon;

  @BeforeAll
  static void start() {
    daemon = new TestDaemon((op, job) -> {});
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /v1/jobs/job-1", "GET /v1/jobs/job-1/stream",
      "DELETE /v1/jobs/job-1", "POST /v1/jobs", "GET /no/such/path", "PUT /v1/jobs", "HEAD /health", "POST /health",
      "GET /typed?tail=3"})
  void everyPathButHealthNeedsTheToken(String route) throws Exception {
    String[] parts = route.split(" ", 2);
    for (String authorization : List.of("", "Bearer " + WRONG, "Bearer ", "Basic dXNlcjpwdw==",
        TestToken.TOKEN.value(), "bearer  " + TestToken.TOKEN.value() + "x")) {
      Request.Builder b = new Request.Builder().url(daemon.baseUrl() + parts[1])
          .method(parts[0], parts[0].equals("POST") || parts[0].equals("PUT")
              ? RequestBody.create("{\"operation\": {\"Status\": {}}}",
                  MediaType.get("application/json")) : null)
          .header("Authorization", authorization);
      try (var r = Http.CLIENT.newCall(b.build()).execute()) {
        String body = r.body().string();
        assertThat(r.code()).as(route + " with \"" + authorization + "\": " + body)
            .isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"rbee\"");
        if (!parts[0].equals("HEAD")) {
          assertThat(Http.CLIENT.newCall(b.build()).execute().body().string())
              .contains("\"code\":\"unauthorized\"").doesNotContain(WRONG)
              .doesNotContain(TestToken.TOKEN.value());
        }
      }
    }
  }

  @Test
  void healthIsOpenAndTheTokenPassesEverywhere() throws Exception {
    try (var r = Http.CLIENT.newCall(new Request.Builder().url(daemon.baseUrl() + "/health")
        .header("Authorization", "").build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
    }
    assertThat(Http.get(daemon.baseUrl() + "/typed?tail=3").status()).isEqualTo(200);
    assertThat(Http.get(daemon.baseUrl() + "/v1/jobs/job-1").status()).isEqualTo(404);
    assertThat(daemon.client.submit(TestDaemon.status()).jobId()).startsWith("job-");
    assertThat(daemon.client.post(daemon.client.url("v1", "jobs"), java.util.Map.of("operation",
        java.util.Map.of("Status", java.util.Map.of())), io.rbee.jobs.Submitted.class).jobId())
        .startsWith("job-");
  }

  @Test
  void aClientWithoutTheTokenOrWithAnotherInstallationsIsUnauthorized() throws Exception {
    AccessToken other = AccessToken.generate("another installation");
    for (JobClient client : List.of(JobClient.withoutToken(daemon.baseUrl()),
        new JobClient(daemon.baseUrl(), other))) {
      JobClientException e = org.junit.jupiter.api.Assertions.assertThrows(
          JobClientException.class, () -> client.submit(TestDaemon.status()));
      assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.getMessage()).contains("refused by " + daemon.baseUrl())
          .doesNotContain(other.value()).doesNotContain(TestToken.TOKEN.value());
      assertThat(client.healthy()).isTrue();
    }
  }

  @Test
  void corsStaysClosedNoAnswerAllowsAnotherOrigin() throws Exception {
    List<Request> requests = List.of(
        new Request.Builder().url(daemon.baseUrl() + "/v1/jobs").method("OPTIONS", null)
            .header("Origin", "http://evil.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization").build(),
        new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/job-1").build(),
        new Request.Builder().url(daemon.baseUrl() + "/health").build(),
        new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/job-1")
            .header("Authorization", "").build());
    for (Request request : requests) {
      try (var r = Http.CLIENT.newCall(request).execute()) {
        assertThat(r.headers().names()).as(request.method() + " " + request.url())
            .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
      }
    }
  }

  @Test
  void eachRefusalIsOneLogLineWithoutWhatWasSent() throws Exception {
    try (LogCapture log = new LogCapture()) {
      Http.send(new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/job-1")
          .header("Authorization", "Bearer " + WRONG).build());
      Http.send(new Request.Builder().url(daemon.baseUrl() + "/v1/jobs/job-2")
          .header("Authorization", WRONG).build());

      List<String> refusals = log.lines().stream().filter(l -> l.contains("refused (401)"))
          .toList();
      assertThat(refusals).hasSize(2);
      assertThat(refusals.get(0)).contains("GET /v1/jobs/job-1").contains("127.0.0.1")
          .contains("not this installation's");
      assertThat(refusals.get(1)).contains("is not \"Bearer <token>\"");
      assertThat(log.lines()).noneMatch(l -> l.contains("w".repeat(20)))
          .noneMatch(l -> l.contains("\tat "));
    }
  }
}
