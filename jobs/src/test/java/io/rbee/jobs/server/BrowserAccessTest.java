package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Daemon;
import io.rbee.jobs.auth.TestToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The access guard with and without a daemon's {@link BrowserAccess}. */
class BrowserAccessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Open: GET /page; live session: "good". */
  private static final BrowserAccess ACCESS = new BrowserAccess() {
    @Override
    public boolean isOpen(String method, String path) {
      return method.equals("GET") && path.equals("/page");
    }

    @Override
    public boolean isLive(String sessionId) {
      return sessionId.equals("good");
    }
  };

  @Test
  void openPathsAndLiveCookiesPassOnADaemonWithBrowserAccessOnly() throws Exception {
    try (DaemonServer plain = server(false); DaemonServer browser = server(true)) {
      assertThat(status(plain, "/page", null, null)).isEqualTo(401);
      assertThat(status(plain, "/data", "good", null)).as("a hive takes no cookie").isEqualTo(401);

      assertThat(status(browser, "/page", null, null)).isEqualTo(200);
      assertThat(status(browser, "/data", null, null)).isEqualTo(401);
      assertThat(status(browser, "/data", "good", null)).isEqualTo(200);
      assertThat(status(browser, "/data", "stale", null)).isEqualTo(401);
      assertThat(status(browser, "/data", null, TestToken.TOKEN.authorization())).isEqualTo(200);
      assertThat(status(browser, "/data", "good", "Bearer rbee_wrong"))
          .as("a present header decides").isEqualTo(401);
    }
  }

  private static DaemonServer server(boolean withBrowser) {
    DaemonServer s = DaemonServer.of(JobServer.Options.of(Daemon.QUEEN), (op, job) -> {},
        TestToken.TOKEN);
    if (withBrowser) {
      s.browser(ACCESS);
    }
    return s.routes(cfg -> {
      cfg.routes.get("/page", ctx -> ctx.result("page"));
      cfg.routes.get("/data", ctx -> ctx.result("data"));
    }).start("127.0.0.1", 0);
  }

  private static int status(DaemonServer s, String path, String session, String authorization)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).GET();
    if (session != null) {
      b.header("Cookie", BrowserAccess.COOKIE + "=" + session);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
