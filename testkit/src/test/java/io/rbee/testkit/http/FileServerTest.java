package io.rbee.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FileServerTest {
  private final FileServer server = FileServer.start();
  private final HttpClient client = HttpClient.newHttpClient();
  private final byte[] body = bytes(10_000);

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void servesTheWholeBodyAndCountsRequests() throws Exception {
    server.serve("/a.bin", body);

    HttpResponse<byte[]> r = get("/a.bin", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("Content-Length")).contains("10000");
    assertThat(server.requests("/a.bin")).isEqualTo(1);
    assertThat(server.rangeHeaders("/a.bin")).isEmpty();
    assertThat(server.url("a.bin").toString()).endsWith(":" + server.port() + "/a.bin");
  }

  @Test
  void rangeRequestGetsTheRestWith206() throws Exception {
    server.serve("/a.bin", body);

    HttpResponse<byte[]> r = get("/a.bin", "bytes=4000-");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).contains("bytes 4000-9999/10000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 4000, 10_000));
    assertThat(server.rangeHeaders("/a.bin")).containsExactly("bytes=4000-");
    assertThat(get("/a.bin", "bytes=10000-").statusCode()).isEqualTo(416);
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
  }

  @Test
  void dropAfterBreaksTheNextTransfersThenRecovers() throws Exception {
    server.serve("/a.bin", body).dropAfter("/a.bin", 3000, 1);

    assertThatThrownBy(() -> get("/a.bin", null)).isInstanceOf(IOException.class);
    HttpResponse<byte[]> second = get("/a.bin", null);

    assertThat(second.body()).isEqualTo(body);
    assertThat(server.requests("/a.bin")).isEqualTo(2);
  }

  @Test
  void ignoreRangeAnswers200WithEverything() throws Exception {
    server.serve("/a.bin", body).ignoreRange("/a.bin");

    HttpResponse<byte[]> r = get("/a.bin", "bytes=100-");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void throttleSlowsTheBodyDown() throws Exception {
    server.serve("/a.bin", body).throttle("/a.bin", 40_000);

    long start = System.nanoTime();
    HttpResponse<byte[]> r = get("/a.bin", null);

    assertThat(r.body()).isEqualTo(body);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(200));
  }

  @Test
  void statusAndRedirectAnswerAsConfigured() throws Exception {
    server.serve("/a.bin", body).status("/broken", 503).redirect("/moved", "/a.bin");

    assertThat(get("/broken", null).statusCode()).isEqualTo(503);
    HttpResponse<byte[]> moved = get("/moved", null);
    assertThat(moved.statusCode()).isEqualTo(302);
    assertThat(moved.headers().firstValue("Location")).contains(server.url("/a.bin").toString());
  }

  private HttpResponse<byte[]> get(String path, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.url(path)).timeout(Duration.ofSeconds(10));
    if (range != null) {
      b.header("Range", range);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }
}
