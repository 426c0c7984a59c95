package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon bound to another address than 127.0.0.1 (a hive on another machine binds the
 * address the queen reaches it by) accepts requests whose {@code Host} is that address, and
 * still refuses one naming another address.
 */
class BindAddressHostTest {
  private DaemonHttp http;

  @BeforeEach
  void start() {
    http = new DaemonHttp("testd", TestToken.TOKEN, cfg ->
        cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok"))))
        .start("127.0.0.2", 0);
  }

  @AfterEach
  void stop() {
    http.stop();
  }

  @Test
  void requestsAddressedToTheBindAddressPass() {
    assertThat(JobClient.withoutToken("http://127.0.0.2:" + http.port()).healthy()).isTrue();
  }

  @Test
  void aHostNamingAnotherAddressIsMisdirected() throws Exception {
    assertThat(statusLine("127.0.0.3:" + http.port())).contains(" 421 ");
    assertThat(statusLine("127.0.0.2:" + http.port())).contains(" 200 ");
  }

  private String statusLine(String host) throws Exception {
    try (Socket s = new Socket("127.0.0.2", http.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("");
    }
  }
}
