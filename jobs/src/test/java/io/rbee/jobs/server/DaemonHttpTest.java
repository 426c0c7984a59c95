package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class DaemonHttpTest {
  @Test
  void servesItsRoutesOnAFreeLoopbackPortWithLongIdleTimeoutAndALargePool() throws Exception {
    DaemonHttp http = new DaemonHttp("probe",
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
      assertThat(connector.getHost()).isEqualTo("127.0.0.1");
      assertThat(((QueuedThreadPool) server.getThreadPool()).getMaxThreads())
          .isEqualTo(DaemonHttp.MAX_THREADS);
    } finally {
      http.stop();
    }
  }
}
