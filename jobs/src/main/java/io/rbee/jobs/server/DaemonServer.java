package io.rbee.jobs.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.metrics.Metrics;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One daemon's HTTP side, assembled the same way for the queen, a hive and a worker: a
 * {@link JobServer} for the daemon's operations, {@code GET /health}, the daemon's own routes,
 * start on a bind address and port, and close. The route table reads, in this order:
 *
 * <pre>
 * GET  /health      the daemon's health handler
 * GET  /metrics     the process's metrics, Prometheus text format ({@link Metrics})
 * POST|GET|DELETE /v1/jobs...   the job API ({@link JobServer#routes})
 * ...               the daemon's own routes
 * </pre>
 *
 * <pre>{@code
 * DaemonServer server = DaemonServer.of(JobServer.Options.of(Daemon.HIVE), hive, token)
 *     .health(ctx -> ctx.json(Map.of("status", "ok")))
 *     .routes(cfg -> cfg.routes.get("/v1/workers", ...))
 *     .start("127.0.0.1", 9000);
 * }</pre>
 *
 * <p>Every path but {@code GET /health} ({@code /metrics} included) requires the
 * installation's {@link AccessToken} as {@code Authorization: Bearer} (see {@link DaemonHttp}),
 * or, where {@link #browser} was given, a live session cookie.
 * Built once, then started once; {@link #close()} cancels the jobs (each ends with
 * {@code done}) and then stops serving. Thread-safe after {@link #start}.
 */
public final class DaemonServer implements AutoCloseable {
  private final JobServer jobs;
  private final AccessToken token;
  private Handler health = ctx -> ctx.json(Map.of("status", "ok"));
  private Consumer<JavalinConfig> routes = cfg -> {};
  private BrowserAccess browser;
  private DaemonHttp http;

  private DaemonServer(JobServer jobs, AccessToken token) {
    this.jobs = jobs;
    this.token = Objects.requireNonNull(token, "token");
  }

  /**
   * A daemon whose job server runs {@code handler} with {@code options} and that requires
   * {@code token}; not serving yet.
   */
  public static DaemonServer of(JobServer.Options options, OperationHandler handler,
      AccessToken token) {
    return new DaemonServer(new JobServer(options, handler), token);
  }

  /** What {@code GET /health} answers (default: 200 {@code {"status": "ok"}}). */
  public DaemonServer health(Handler handler) {
    requireNotStarted();
    this.health = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** The daemon's own routes, registered after {@code /health} and the job API. */
  public DaemonServer routes(Consumer<JavalinConfig> daemonRoutes) {
    requireNotStarted();
    this.routes = Objects.requireNonNull(daemonRoutes, "daemonRoutes");
    return this;
  }

  /**
   * Lets a browser in beside the bearer header: the paths {@code access} calls open, and
   * requests with its live session cookie (the queen's dashboard; see {@link AccessGuard}).
   */
  public DaemonServer browser(BrowserAccess access) {
    requireNotStarted();
    this.browser = Objects.requireNonNull(access, "access");
    return this;
  }

  /**
   * Builds the app and binds {@code bind}:{@code port} ({@code 0}: a free port, see
   * {@link #port()}). Throws when the address is in use; the job server is then closed.
   */
  public DaemonServer start(String bind, int port) {
    requireNotStarted();
    Handler healthHandler = health;
    Consumer<JavalinConfig> daemonRoutes = routes;
    DaemonHttp app = new DaemonHttp(jobs.options().daemon(), token, browser, cfg -> {
      cfg.routes.get("/health", healthHandler);
      cfg.routes.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE)
          .result(Metrics.scrape()));
      jobs.routes(cfg);
      daemonRoutes.accept(cfg);
    });
    try {
      app.start(bind, port);
    } catch (RuntimeException e) {
      jobs.close();
      throw e;
    }
    this.http = app;
    return this;
  }

  public JobServer jobs() {
    return jobs;
  }

  /** The HTTP server; null before {@link #start}. */
  public DaemonHttp http() {
    return http;
  }

  /** The port bound by {@link #start}. */
  public int port() {
    return started().port();
  }

  /** {@code http://<bind>:<port>}. */
  public String baseUrl() {
    return started().baseUrl();
  }

  /** Cancels the daemon's jobs (each ends with {@code done}), then stops serving. Idempotent. */
  @Override
  public void close() {
    jobs.close();
    if (http != null) {
      http.stop();
    }
  }

  private DaemonHttp started() {
    if (http == null) {
      throw new IllegalStateException(jobs.options().daemon() + " is not started");
    }
    return http;
  }

  private void requireNotStarted() {
    if (http != null) {
      throw new IllegalStateException(jobs.options().daemon() + " is already started");
    }
  }
}
