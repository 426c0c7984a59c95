package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * What a hostile user or web page tries against a real queen and hive (distributed mode):
 * ids that climb out of their URL segment, cross-site posts, and secrets planted in a model
 * URL, which must not come back anywhere a client can read, nor reach a log file.
 */
class HostileInputTest {
  // sends the installation's token: these requests are about what lies behind the bearer check
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(30))
      .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
          .header("Authorization", HostileInputTest.queen.token().authorization()).build()))
      .build();
  private static final String[] SECRETS = {"hunter2", "pa55", "w0rd", "s1gn4tur3", "t0k3n",
      "g00gs1g"};

  @TempDir static Path home;
  static Daemon queen;
  static JobClient client;
  static String hiveUrl;

  @BeforeAll
  static void startQueenAndHive() throws Exception {
    queen = Daemon.queen(home);
    client = queen.client();
    JobRun start = JobRun.of(client, new Operation.HiveStart("localhost", FreePorts.next()));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    hiveUrl = JobRunResults.hiveInfo(client, "localhost").url();
  }

  @AfterAll
  static void stop() {
    queen.close();
  }

  @Test
  void aWorkerIdThatClimbsOutOfItsSegmentIs400AndNeverReachesTheHive() throws Exception {
    for (String path : List.of(
        "/v1/hives/localhost/workers/..%2F..%2Fv1%2Fdevices%3F/logs",
        "/v1/hives/localhost/workers/.hidden/logs",
        "/v1/hives/..%2Fv1%2Fdevices%3F/workers/w/logs")) {
      try (Response r = HTTP.newCall(new Request.Builder().url(queen.url() + path).build())
          .execute()) {
        String body = r.body().string();

        assertThat(r.code()).as(path + " → " + body).isEqualTo(400);
        assertThat(body).contains("\"code\":\"invalid_id\"").doesNotContain("\"kind\"", "cpu");
      }
    }
  }

  @Test
  void aTextPlainPostFromAnotherSiteDeletesNoModel() throws Exception {
    JobRun download = JobRun.of(client, new Operation.ModelDownload("localhost", "demo"));
    assertThat(download.done().status()).as(download.transcript())
        .isEqualTo(JobStatus.SUCCEEDED);
    String delete = "{\"operation\": {\"ModelDelete\": {\"hive_id\": \"localhost\","
        + " \"model\": \"demo\"}}}";

    for (String daemon : List.of(queen.url(), hiveUrl)) {
      // what a form or fetch() on http://evil.example can send without a CORS preflight
      int plain = post(daemon, delete, "text/plain", null);
      int foreign = post(daemon, delete, "application/json", "http://evil.example");

      assertThat(plain).as("text/plain POST to " + daemon).isEqualTo(415);
      assertThat(foreign).as("foreign-origin POST to " + daemon).isEqualTo(403);
    }
    JobRun list = JobRun.of(client, new Operation.ModelList("localhost"));
    assertThat(list.transcript()).contains("\"id\":\"demo\"");
  }

  @Test
  void secretsPlantedInModelUrlsComeBackNowhereAndReachNoLog() throws Exception {
    List<String> readable = new ArrayList<>();
    String base;
    try (FileServer files = FileServer.start()) {
      files.serve("/m.gguf", Files.readAllBytes(TinyModels.tiny(home, 11)));
      base = "http://127.0.0.1:" + files.port();
      // succeeds: user info and a signed query string in the source
      readable.addAll(run(new Operation.ModelDownload("localhost", "http://me:hunter2@127.0.0.1:"
          + files.port() + "/m.gguf?X-Amz-Signature=s1gn4tur3&token=t0k3n"), JobStatus.SUCCEEDED));
      // fails: a password with '@' in it, quoted back in the refusal
      readable.addAll(run(new Operation.ModelDownload("localhost",
          "http://me:pa55@w0rd@127.0.0.1:" + files.port() + "/x.gguf"), JobStatus.FAILED));
      // fails: 404 from a signed URL
      readable.addAll(run(new Operation.ModelDownload("localhost",
          base + "/missing.gguf?X-Goog-Signature=g00gs1g"), JobStatus.FAILED));
    }
    readable.add(get(hiveUrl + "/v1/models"));
    JobRun status = JobRun.of(client, new Operation.Status());
    readable.add(status.transcript());
    Path catalog = home.resolve("hives/localhost/models/catalog.json");
    readable.add(Files.readString(catalog));
    readable.addAll(logs());

    assertThat(readable).allSatisfy(text -> assertThat(text).doesNotContain(SECRETS));
    assertThat(String.join("\n", readable)).contains("[REDACTED]", "m.gguf");
    ModelInfo stored = JobRunResults.lastResult(
        JobRun.of(client, new Operation.ModelGet("localhost", "m.gguf")), ModelInfo.class);
    assertThat(stored.source())
        .isEqualTo(base + "/m.gguf?X-Amz-Signature=[REDACTED]&token=[REDACTED]");
  }

  /** Runs {@code op} to its end; returns its stream and its job info (what a client reads). */
  private static List<String> run(Operation op, JobStatus expected) throws Exception {
    JobRun run = JobRun.of(client, op);
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(expected);
    JobInfo info = client.status(run.submitted().jobId());
    return List.of(run.transcript(), io.rbee.narration.Json.write(info),
        io.rbee.narration.Json.write(run.done()));
  }

  private static List<String> logs() throws Exception {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(home.resolve("logs"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        texts.add(f + ":\n" + Files.readString(f));
      }
    }
    assertThat(texts).as("log files").hasSizeGreaterThanOrEqualTo(2); // queen's and hive's
    return texts;
  }

  private static String get(String url) throws Exception {
    try (Response r = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      return r.body().string();
    }
  }

  private static int post(String url, String body, String type, String origin) throws Exception {
    Request.Builder b = new Request.Builder().url(url + "/v1/jobs")
        .post(RequestBody.create(body, MediaType.get(type)));
    if (origin != null) {
      b.header("Origin", origin);
    }
    try (Response r = HTTP.newCall(b.build()).execute()) {
      return r.code();
    }
  }
}
