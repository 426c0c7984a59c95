package io.rbee.jobs.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.narration.Json;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server of one daemon: a Javalin app with the wire's JSON ({@link Json#MAPPER}), the
 * error mapping of {@link HttpErrors}, no banner, and every request served on a virtual thread
 * of its own, so an SSE follower that waits for events costs no platform thread: followers are
 * bounded by memory, not by a pool.
 *
 * <pre>{@code
 * DaemonHttp http = new DaemonHttp("hive", token, cfg -> {
 *   cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
 *   jobServer.routes(cfg);
 * }).start("127.0.0.1", 9000);
 * }</pre>
 *
 * <p>Connections idle for {@link #IDLE_TIMEOUT} are closed; a job stream is never idle that
 * long because it writes a keep-alive comment every few seconds.
 *
 * <p>Every request passes {@link RequestGuard} and {@link AccessGuard} first, in this order:
 * its {@code Host} must name this daemon and a foreign {@code Origin} is refused (so a web page
 * on another site cannot drive any daemon), it must carry the installation's bearer token
 * (every path but {@code GET /health}), and a body must be JSON. Every refusal, Jetty's own
 * included, is the {@code ErrorBody} JSON of {@link HttpErrors}. No route sends CORS headers:
 * a browser page of another origin can neither send a token nor read an answer.
 */
public final class DaemonHttp {
  /**
   * Platform threads for Jetty's own work (selectors, accepting); requests and streams run on
   * virtual threads and do not count against it.
   */
  public static final int PLATFORM_THREADS = 32;

  /**
   * Connections the kernel queues before they are accepted: a burst of clients waits instead
   * of being reset (the kernel caps it at {@code net.core.somaxconn}).
   */
  public static final int ACCEPT_BACKLOG = 4096;

  /** How long a connection may stay silent; far above any stream's keep-alive interval. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

  private final String name;
  private final Javalin app;
  private String host;

  /**
   * An app for daemon {@code name} that requires {@code token} on every path but {@code GET
   * /health}, whose routes {@code routes} registers; not started yet.
   */
  public DaemonHttp(String name, AccessToken token, Consumer<JavalinConfig> routes) {
    this(name, token, null, routes);
  }

  /**
   * As above, also letting in what {@code browser} allows (open paths, a live session cookie);
   * null: the bearer header only.
   */
  public DaemonHttp(String name, AccessToken token, BrowserAccess browser,
      Consumer<JavalinConfig> routes) {
    this.name = name;
    AccessGuard access = new AccessGuard(name, token, browser);
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
      // Javalin's useVirtualThreads flag only applies to a pool it makes itself; this one is
      // ours, so it is given the virtual-thread executor directly
      QueuedThreadPool pool = new QueuedThreadPool(PLATFORM_THREADS, 4, 60_000);
      pool.setName(name + "-http");
      pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name(name + "-request-", 1).factory()));
      cfg.jetty.threadPool = pool;
      // what Jetty refuses itself (bad request line, huge headers) answers in our JSON too
      cfg.jetty.modifyServer(server -> {
        server.setErrorHandler(new JsonErrorHandler());
        // Javalin's default server wraps every request in a StatisticsHandler whose counts
        // nothing reads; it costs each response write three objects and a buffer view, which
        // a job with 10,000 followers pays 10,000 times per event (benchmark 3)
        if (server.getHandler() instanceof StatisticsHandler stats) {
          server.setHandler(stats.getHandler());
        }
      });
      cfg.events.serverStarting(() -> {
        for (Connector c : app().jettyServer().server().getConnectors()) {
          if (c instanceof ServerConnector sc) {
            sc.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            sc.setAcceptQueueSize(ACCEPT_BACKLOG);
          }
        }
      });
      HttpErrors.install(cfg);
      cfg.routes.before(ctx -> {
        RequestGuard.checkSite(ctx);
        access.check(ctx);
        RequestGuard.checkBody(ctx);
      });
      routes.accept(cfg);
    });
  }

  /**
   * Binds {@code bind}:{@code port} ({@code 0}: a free port, see {@link #port()}) and starts
   * serving. Throws when the address is in use.
   */
  public DaemonHttp start(String bind, int port) {
    this.host = bind;
    app.start(bind, port);
    return this;
  }

  /** The port bound by {@link #start}. */
  public int port() {
    return app.port();
  }

  /** {@code http://<bind>:<port>}, for clients in tests and logs. */
  public String baseUrl() {
    String h = host == null || host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "http://" + h + ":" + port();
  }

  public String name() {
    return name;
  }

  /** The underlying app (tests, and daemons that need Javalin's lower-level hooks). */
  public Javalin app() {
    return app;
  }

  /** Stops serving: open streams are cut, the port is released. */
  public void stop() {
    app.stop();
  }
}
