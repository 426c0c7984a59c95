package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ?keepalive_ms=}: a follower asks for a faster keep-alive on its own stream. */
class JobStreamKeepAliveTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private TestDaemon daemon;

  @AfterEach
  void stop() {
    release.countDown();
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void aFollowerGetsTheFasterKeepAliveItAskedFor() throws Exception {
    daemon = new TestDaemon((op, job) -> release.await()); // the daemon's own: every 5 s
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    Request r = new Request.Builder()
        .url(daemon.baseUrl() + "/v1/jobs/" + id + "/stream?keepalive_ms=100").build();
    Call call = Http.CLIENT.newCall(r);
    call.timeout().timeout(10, java.util.concurrent.TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    try (Response res = call.execute(); BufferedReader in = new BufferedReader(
        new InputStreamReader(res.body().byteStream(), StandardCharsets.UTF_8))) {
      assertThat(res.code()).isEqualTo(200);
      int keepAlives = 0;
      while (keepAlives < 5) {
        String line = in.readLine();
        assertThat(line).as("stream ended while the job was quiet").isNotNull();
        if (line.equals(": keep-alive")) {
          keepAlives++;
        }
      }
    }
    // five at 100 ms: half a second, where the daemon's own interval takes 25 s
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "60001", "-1", "soon", "1.5"})
  void aKeepAliveOutsideItsBoundsIsRefusedNamingTheValue(String value) throws Exception {
    daemon = new TestDaemon((op, job) -> {});
    String id = daemon.client.submit(TestDaemon.status()).jobId();
    Awaitility.await().until(() -> daemon.jobs.info(id).orElseThrow().status().isFinal());

    Http.Answer a = Http.get(daemon.baseUrl() + "/v1/jobs/" + id + "/stream?keepalive_ms="
        + value);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().at("/error/code").asText()).isEqualTo("invalid_keepalive");
    assertThat(a.json().at("/error/message").asText())
        .isEqualTo("keepalive_ms must be 100..60000 (milliseconds), got \"" + value + "\"");
  }
}
