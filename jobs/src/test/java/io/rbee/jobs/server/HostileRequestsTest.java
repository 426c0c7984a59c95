package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests a hostile or broken client sends, spoken over a raw socket: each is answered with
 * the JSON error shape and a fitting 4xx, never a 5xx, never Jetty's HTML page, and never a
 * stack trace in the daemon's log.
 */
class HostileRequestsTest {
  private static final String BODY = "{\"operation\": {\"Status\": {}}}";
  private static TestDaemon daemon;
  private static int port;

  @BeforeAll
  static void start() {
    daemon = new TestDaemon((op, job) -> {});
    port = daemon.http.port();
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad HTTP version          | 400 | bad_request       | GET /health HTTP/9.9
      garbage protocol          | 400 | bad_request       | GET /health HTTX/1.1
      bad percent-encoding      | 400 | bad_request       | GET /%C0%AF HTTP/1.1
      """)
  void malformedRequestLinesAreJson4xx(String what, int status, String code, String line)
      throws Exception {
    RawHttp.Answer a = RawHttp.send(port, line + "\r\nHost: " + host() + "\r\n"
        + "Connection: close\r\n\r\n");

    assertJsonError(a, status, code);
  }

  @Test
  void anOversizedUrlIs414Json() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "GET /health?q=" + "a".repeat(20_000)
        + " HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\n\r\n");

    assertJsonError(a, 414, "uri_too_long");
  }

  @Test
  void oversizedHeadersAre431Json() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: " + host()
        + "\r\nX-Filler: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");

    assertJsonError(a, 431, "headers_too_large");
  }

  @Test
  void anImpossibleContentLengthIs400Json() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n"
        + "Connection: close\r\n\r\n");

    assertJsonError(a, 400, "bad_request");
  }

  @Test
  void aMalformedChunkedBodyIs400Json() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "ZZ-not-a-size\r\n" + BODY + "\r\n0\r\n\r\n");

    assertJsonError(a, 400, "bad_request");
  }

  @Test
  void aChunkedBodyThatBreaksOffIs400Json() throws Exception {
    RawHttp.Answer a = RawHttp.sendAndHangUp(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "400\r\n" + BODY); // announces 1 KiB, sends less, hangs up

    assertJsonError(a, 400, "bad_request");
  }

  @Test
  void anUnknownCharsetIs415Json() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json; charset=klingon-42\r\nContent-Length: "
        + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY);

    assertJsonError(a, 415, "unsupported_charset");
    assertThat(a.json().at("/error/message").asText()).contains("klingon-42");
  }

  @Test
  void aQueryParameterOfTheWrongTypeIs400NamingIt() throws Exception {
    RawHttp.Answer a = RawHttp.send(port, "GET /typed?tail=lots HTTP/1.1\r\nHost: " + host()
        + "\r\nConnection: close\r\n\r\n");

    assertJsonError(a, 400, "invalid_parameter");
    assertThat(a.json().at("/error/message").asText()).contains("tail", "lots");
  }

  @Test
  void badRequestsLeaveNoStackTraceInTheLog() throws Exception {
    try (LogCapture log = new LogCapture()) {
      sendBadRequests();

      assertThat(log.lines()).as("log lines").noneMatch(l -> l.contains("\tat ")
          || l.startsWith("ERROR") || l.contains("Exception"));
    }
  }

  private static void sendBadRequests() throws Exception {
    RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n");
    RawHttp.sendAndHangUp(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n{");
    RawHttp.send(port, "POST /v1/jobs HTTP/1.1\r\nHost: " + host()
        + "\r\nContent-Type: application/json; charset=klingon-42\r\nContent-Length: "
        + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY);
    RawHttp.send(port, "GET /health HTTP/9.9\r\nHost: " + host() + "\r\n\r\n");
    RawHttp.send(port, "GET /typed?tail=lots HTTP/1.1\r\nHost: " + host()
        + "\r\nConnection: close\r\n\r\n");
  }

  private static String host() {
    return "127.0.0.1:" + port;
  }

  static void assertJsonError(RawHttp.Answer a, int status, String code) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).as(a.body()).startsWith("application/json");
    assertThat(a.json().at("/error/code").asText()).as(a.body()).isEqualTo(code);
    assertThat(a.json().at("/error/message").asText()).isNotBlank();
    assertThat(a.body()).doesNotContain("<html", "\tat ", "Exception");
  }
}
