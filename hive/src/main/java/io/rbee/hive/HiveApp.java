package io.rbee.hive;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.rbee.hive.workers.LogTail;
import io.rbee.jobs.Daemon;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.DaemonServer;
import io.rbee.jobs.server.JobServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hive daemon's HTTP face over one {@link Hive}: the job API for the hive's operations and
 * a few REST reads. Owns the hive: {@link #close()} stops its workers, its jobs and the server.
 *
 * <p>Exposes its {@link Javalin} ({@link #javalin()}) so tests can drive it on port 0.
 */
public final class HiveApp implements AutoCloseable {
  /** Log lines {@code /v1/workers/{id}/logs} returns when {@code tail} is not given. */
  public static final int DEFAULT_TAIL = 200;

  /** Most log lines one request may ask for. */
  public static final int MAX_TAIL = 100_000;

  private final Hive hive;
  private final DaemonServer server;

  public HiveApp(Hive hive) {
    this.hive = hive;
    // GET /health, then the job API (POST /v1/jobs, GET /v1/jobs/{id}, .../stream, DELETE)
    // every path but /health needs the installation's token, as the hive's workers do
    this.server = DaemonServer.of(JobServer.Options.of(Daemon.HIVE), hive, hive.config().token())
        .health(this::health)
        .routes(this::routes);
  }

  /** The hive's own paths, after /health and the job API. */
  private void routes(JavalinConfig cfg) {
    cfg.routes.get("/v1/workers", ctx -> ctx.json(hive.workers()));
    cfg.routes.get("/v1/workers/{id}/logs", this::workerLogs);
    cfg.routes.get("/v1/models", ctx -> ctx.json(hive.models()));
    cfg.routes.get("/v1/devices", ctx -> ctx.json(hive.devices()));
  }

  /** Binds {@code bind}:{@code port} (0: a free port) and starts serving. */
  public HiveApp start(String bind, int port) {
    server.start(bind, port);
    return this;
  }

  public int port() {
    return server.port();
  }

  /** {@code http://<bind>:<port>}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  public Javalin javalin() {
    return server.http().app();
  }

  public Hive hive() {
    return hive;
  }

  public JobServer jobs() {
    return server.jobs();
  }

  /** Stops the hive's workers, cancels its jobs and stops serving, in that order. */
  @Override
  public void close() {
    hive.close();
    server.close();
  }

  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("hive_id", hive.hiveId());
    ctx.json(body);
  }

  private void workerLogs(Context ctx) throws IOException {
    String id = ctx.pathParam("id");
    int tail = tail(ctx.queryParam("tail"));
    Path log = hive.workerLog(id).orElseThrow(() -> ApiException.notFound("worker_not_found",
        "no worker \"" + id + "\" on hive " + hive.hiveId() + " (workers: "
            + String.join(", ", hive.workers().stream().map(w -> w.workerId()).toList())
            + ")"));
    List<String> lines = LogTail.lastLines(log, tail);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
  }

  private static int tail(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_TAIL;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= 1 && n <= MAX_TAIL) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("invalid_tail",
        "tail must be 1.." + MAX_TAIL + " (lines), got \"" + raw + "\"");
  }
}
