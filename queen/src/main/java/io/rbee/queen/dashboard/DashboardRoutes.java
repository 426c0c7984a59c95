package io.rbee.queen.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.BrowserAccess;
import io.rbee.narration.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's routes on the queen, and the {@link BrowserAccess} that lets its browser in:
 *
 * <pre>
 * GET    /                  the page (open)
 * GET    /dashboard/{file}  its scripts and style sheet (open: the names in ASSETS only)
 * POST   /v1/session        {"token": "..."} → 204 and the session cookie (open: the login)
 * DELETE /v1/session        ends the cookie's session, clears the cookie (open)
 * GET    /v1/cluster        the live snapshot the page polls ({@link ClusterView})
 * </pre>
 *
 * <p>The assets are classpath resources of the queen's jar, read once at start; each answer
 * says {@code Cache-Control: no-cache} (a new jar is seen at once) and a strict
 * {@code Content-Security-Policy}: everything from this origin only, no inline script or
 * style, no framing. The token is only ever read from the login's JSON body, compared in
 * constant time ({@link AccessToken#matches}), and never stored: the cookie holds a random
 * session id ({@link Sessions}) that is HttpOnly and SameSite=Strict, so no script reads it and
 * no other site's page sends it.
 */
public final class DashboardRoutes implements BrowserAccess {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
      + " form-action 'self'; frame-ancestors 'none'";

  /** The files under {@code /dashboard/}, by name, with their content types. */
  static final Map<String, String> ASSETS = Map.of(
      "index.html", "text/html;charset=utf-8",
      "dashboard.css", "text/css;charset=utf-8",
      "app.js", "text/javascript;charset=utf-8",
      "api.js", "text/javascript;charset=utf-8",
      "format.js", "text/javascript;charset=utf-8",
      "cluster.js", "text/javascript;charset=utf-8",
      "job-view.js", "text/javascript;charset=utf-8");

  private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
  private static final String PREFIX = "/dashboard/";

  private final AccessToken token;
  private final Sessions sessions;
  private final ClusterView cluster;
  private final Map<String, byte[]> files;

  public DashboardRoutes(AccessToken token, ClusterView cluster) {
    this(token, new Sessions(), cluster);
  }

  DashboardRoutes(AccessToken token, Sessions sessions, ClusterView cluster) {
    this.token = Objects.requireNonNull(token, "token");
    this.sessions = sessions;
    this.cluster = cluster;
    this.files = ASSETS.keySet().stream()
        .collect(Collectors.toUnmodifiableMap(n -> n, DashboardRoutes::load));
  }

  /** Registers the routes above. */
  public void register(JavalinConfig cfg) {
    cfg.routes.get("/", ctx -> asset(ctx, "index.html"));
    cfg.routes.get(PREFIX + "{file}", ctx -> asset(ctx, ctx.pathParam("file")));
    cfg.routes.post("/v1/session", this::login);
    cfg.routes.delete("/v1/session", this::logout);
    cfg.routes.get("/v1/cluster", ctx -> ctx.json(cluster.snapshot()));
  }

  @Override
  public boolean isOpen(String method, String path) {
    return switch (method) {
      // only the exact names: a path like /dashboard/../v1/cluster must not pass as an asset
      case "GET" -> path.equals("/")
          || path.startsWith(PREFIX) && ASSETS.containsKey(path.substring(PREFIX.length()));
      case "POST", "DELETE" -> path.equals("/v1/session");
      default -> false;
    };
  }

  @Override
  public boolean isLive(String sessionId) {
    return sessions.isLive(sessionId);
  }

  private void asset(Context ctx, String name) {
    byte[] body = files.get(name);
    if (body == null) {
      throw new ApiException(404, "not_found", "no dashboard file \"" + clip(name)
          + "\" (there are: " + String.join(", ", new TreeSet<>(files.keySet())) + ")");
    }
    ctx.header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .contentType(ASSETS.get(name))
        .result(body);
  }

  /** {@code POST /v1/session}: the token in, a session cookie out. */
  private void login(Context ctx) {
    Login login;
    try {
      login = Json.read(ctx.body(), Login.class);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid_login",
          "the body must be {\"token\": \"<this installation's token>\"}");
    }
    if (login == null || login.token() == null || login.token().isBlank()) {
      throw ApiException.badRequest("invalid_login",
          "the body must be {\"token\": \"<this installation's token>\"}, got no token");
    }
    if (!token.matches(login.token().strip())) {
      LOG.warn("{} {} from {} refused (401): the dashboard login's token is not this"
          + " installation's", ctx.method(), ctx.path(), ctx.req().getRemoteAddr());
      ctx.header("WWW-Authenticate", "Bearer realm=\"rbee\"");
      throw new ApiException(401, "unauthorized", "that token is not this installation's"
          + " ($RBEE_HOME/token, or RBEE_TOKEN)");
    }
    String id = sessions.create();
    if (id == null) {
      throw new ApiException(503, "too_many_sessions", Sessions.MAX + " dashboard sessions are"
          + " live, the most the queen keeps; log out elsewhere, or restart the queen");
    }
    ctx.header("Set-Cookie", BrowserAccess.COOKIE + "=" + id + "; Path=/; Max-Age="
        + Sessions.LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict");
    ctx.header("Cache-Control", "no-store");
    ctx.status(204);
  }

  /** {@code DELETE /v1/session}: ends the cookie's session and clears the cookie. */
  private void logout(Context ctx) {
    sessions.end(ctx.cookie(BrowserAccess.COOKIE));
    ctx.header("Set-Cookie", BrowserAccess.COOKIE
        + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    ctx.status(204);
  }

  /** The login's body. */
  record Login(String token) {}

  private static byte[] load(String name) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard file " + name + " is missing from the"
            + " queen's jar (io/rbee/queen/dashboard/" + name + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clip(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
  }
}
