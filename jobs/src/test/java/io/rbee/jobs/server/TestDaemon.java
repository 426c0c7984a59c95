package io.rbee.jobs.server;

import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.Narrator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real daemon for tests: a job server on its own broadcaster, served by {@link DaemonHttp} on
 * 127.0.0.1 and a free port, with a {@code /health} route. Close it in {@code @AfterEach}.
 */
final class TestDaemon implements AutoCloseable {
  static final Set<String> OPERATIONS = Set.of("Status", "HiveCheck", "WorkerSpawn", "Infer");

  final Broadcaster broadcaster;
  final Narrator narrator;
  final JobServer jobs;
  final DaemonHttp http;
  final JobClient client;

  TestDaemon(OperationHandler handler) {
    this(handler, UnaryOperator.identity());
  }

  TestDaemon(OperationHandler handler, UnaryOperator<JobServer.Options> tune) {
    this(handler, tune, HistoryLimits.DEFAULT);
  }

  TestDaemon(OperationHandler handler, UnaryOperator<JobServer.Options> tune,
      HistoryLimits limits) {
    broadcaster = new Broadcaster(limits);
    narrator = Narrator.of("testd", broadcaster);
    jobs = new JobServer(tune.apply(JobServer.Options.of("testd", OPERATIONS)
        .withBroadcaster(broadcaster).withKeepAlive(Duration.ofSeconds(5))), handler);
    http = new DaemonHttp("testd", TestToken.TOKEN, cfg -> {
      cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
      cfg.routes.get("/boom", ctx -> {
        throw new IllegalStateException("kaboom\n\tat some.Frame(Frame.java:1)");
      });
      cfg.routes.get("/typed", ctx ->
          ctx.result(ctx.queryParamAsClass("tail", Integer.class).get().toString()));
      cfg.routes.get("/boom-error", ctx -> {
        throw new AssertionError("deep trouble");
      });
      jobs.routes(cfg);
    }).start("127.0.0.1", 0);
    client = new JobClient(http.baseUrl(), TestToken.TOKEN).named("testd");
  }

  String baseUrl() {
    return http.baseUrl();
  }

  static Operation status() {
    return new Operation.Status();
  }

  @Override
  public void close() {
    http.stop();
    jobs.close();
  }
}
