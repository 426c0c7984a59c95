package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.auth.TestToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.junit.jupiter.api.Test;

class DaemonHttpTest {
  @Test
  void servesItsRoutesOnAFreeLoopbackPortWithLongIdleTimeoutAndADeepBacklog() throws Exception {
    DaemonHttp http = new DaemonHttp("probe", TestToken.TOKEN,
        cfg -> cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok"))));
    try {
      http.start("127.0.0.1", 0);

      assertThat(http.port()).isPositive();
      assertThat(http.baseUrl()).isEqualTo("http://127.0.0.1:" + http.port());
      Http.Answer a = Http.get(http.baseUrl() + "/health");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("{\"status\":\"ok\"}");
      var server = http.app().jettyServer().server();
      ServerConnector connector = (ServerConnector) server.getConnectors()[0];
      assertThat(connector.getIdleTimeout()).isEqualTo(DaemonHttp.IDLE_TIMEOUT.toMillis());
      assertThat(connector.getAcceptQueueSize()).isEqualTo(DaemonHttp.ACCEPT_BACKLOG);
      assertThat(connector.getHost()).isEqualTo("127.0.0.1");
      // no per-write statistics wrapper between Jetty and the app (see DaemonHttp)
      assertThat(server.getDescendants(StatisticsHandler.class)).isEmpty();
    } finally {
      http.stop();
    }
  }

  @Test
  void manyMoreBlockedRequestsThanPlatformThreadsAllRunAtOnceOnVirtualThreads()
      throws Exception {
    int blocked = 1_000; // twice the 512 platform threads that once capped a daemon
    CountDownLatch allInside = new CountDownLatch(blocked);
    CountDownLatch release = new CountDownLatch(1);
    DaemonHttp http = new DaemonHttp("probe", TestToken.TOKEN, cfg -> {
      cfg.routes.get("/wait", ctx -> {
        boolean virtual = Thread.currentThread().isVirtual();
        allInside.countDown();
        release.await(); // a follower waiting for events holds its request this way
        ctx.result(Boolean.toString(virtual));
      });
      cfg.routes.get("/health", ctx -> ctx.result("ok"));
    }).start("127.0.0.1", 0);
    HttpClient client = HttpClient.newHttpClient();
    try {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < blocked; i++) {
        answers.add(client.sendAsync(HttpRequest.newBuilder(
            URI.create(http.baseUrl() + "/wait"))
            .header("Authorization", TestToken.TOKEN.authorization()).build(),
            HttpResponse.BodyHandlers.ofString()));
      }

      assertThat(allInside.await(30, TimeUnit.SECONDS))
          .as("every one of %d requests got into its handler at the same time", blocked)
          .isTrue();
      assertThat(Http.get(http.baseUrl() + "/health").body()).isEqualTo("ok");
      release.countDown();
      for (var answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo("true");
      }
    } finally {
      release.countDown();
      http.stop();
    }
  }
}
