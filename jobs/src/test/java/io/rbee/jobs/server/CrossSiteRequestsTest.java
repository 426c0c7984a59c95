package io.rbee.jobs.server;

import static io.rbee.jobs.server.HostileRequestsTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A web page on another site cannot drive a daemon: what a browser would send for it (a
 * text/plain or form POST, a foreign {@code Origin}, a {@code Host} that is the attacker's DNS
 * name pointed at 127.0.0.1) is refused before any operation runs.
 */
class CrossSiteRequestsTest {
  private static final String BODY = "{\"operation\": {\"Status\": {}}}";
  private static final List<String> RAN = new CopyOnWriteArrayList<>();
  private static TestDaemon daemon;
  private static int port;

  @BeforeAll
  static void start() {
    daemon = new TestDaemon((op, job) -> RAN.add(op.name()));
    port = daemon.http.port();
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @BeforeEach
  void forget() {
    // a job an earlier test let through runs on its own thread: let it finish first
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> daemon.jobs.liveJobs() == 0);
    RAN.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "application/jsonp", "none"})
  void aPostThatIsNotJsonIs415AndRunsNothing(String type) throws Exception {
    RawHttp.Answer a = post("Host: 127.0.0.1:" + port
        + (type.equals("none") ? "" : "\r\nContent-Type: " + type));

    assertJsonError(a, 415, "unsupported_media_type");
    assertThat(RAN).isEmpty();
  }

  @Test
  void aJsonPostWithCharsetPasses() throws Exception {
    RawHttp.Answer a = post("Host: 127.0.0.1:" + port
        + "\r\nContent-Type: Application/JSON; charset=UTF-8");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://evil.example", "null", "https://127.0.0.1:PORT",
      "http://127.0.0.1:1", "http://localhost.evil.example:PORT", "file://"})
  void aForeignOriginIs403EvenWithJson(String origin) throws Exception {
    RawHttp.Answer a = post("Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
        + "\r\nOrigin: " + origin.replace("PORT", Integer.toString(port)));

    assertJsonError(a, 403, "forbidden_origin");
    assertThat(RAN).isEmpty();
  }

  @Test
  void theDaemonsOwnOriginPasses() throws Exception {
    RawHttp.Answer a = post("Host: localhost:" + port + "\r\nContent-Type: application/json"
        + "\r\nOrigin: http://localhost:" + port);

    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rebind.evil.example:PORT", "rebind.evil.example",
      "localhost.evil.example:PORT", "10.1.2.3:PORT", "[::2]:PORT"})
  void aHostThatIsNotThisDaemonIs421(String host) throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: "
        + host.replace("PORT", Integer.toString(port)) + "\r\nConnection: close\r\n\r\n");

    assertJsonError(a, 421, "misdirected_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LOCALHOST:PORT", "[::1]:PORT",
      "127.0.0.1:1"}) // the port a client saw may differ: a port forward, a TCP proxy
  void loopbackHostsPass(String host) throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: "
        + host.replace("PORT", Integer.toString(port)) + "\r\nConnection: close\r\n\r\n");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  @Test
  void aDeleteWithoutABodyPassesAndOneWithATextBodyIs415() throws Exception {
    String id = daemon.client.submit(TestDaemon.status()).jobId();

    RawHttp.Answer text = RawHttp.send(port, "DELETE /v1/jobs/" + id + " HTTP/1.1\r\nHost: "
        + "127.0.0.1:" + port + "\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n");
    RawHttp.Answer bare = RawHttp.send(port, "DELETE /v1/jobs/" + id + " HTTP/1.1\r\nHost: "
        + "127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");

    assertJsonError(text, 415, "unsupported_media_type");
    assertThat(bare.status()).as(bare.body()).isEqualTo(200);
    assertThat(bare.json().get("status").asText())
        .isIn(JobStatus.SUCCEEDED.wire(), JobStatus.CANCELLED.wire());
  }

  private static RawHttp.Answer post(String headers) throws Exception {
    return RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\n" + headers + "\r\nContent-Length: "
        + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY);
  }
}
