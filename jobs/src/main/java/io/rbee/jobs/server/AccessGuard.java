package io.rbee.jobs.server;

import io.javalin.http.Context;
import io.rbee.jobs.auth.AccessToken;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer check every daemon runs before every route but {@code GET /health}: the request
 * must say {@code Authorization: Bearer <token>} with this installation's {@link AccessToken},
 * compared in constant time ({@link AccessToken#matches}). Anything else is 401 {@code
 * unauthorized} with {@code WWW-Authenticate: Bearer realm="rbee"}, and one WARN line in the
 * daemon's log that names the method, path, peer and what was wrong (no token, another scheme,
 * a wrong token), never what was sent.
 *
 * <p>A daemon with {@link BrowserAccess} (the queen) also lets through the paths it calls open,
 * and a request without an {@code Authorization} header that carries a live session cookie
 * ({@link BrowserAccess#COOKIE}). A present header always decides: a wrong bearer token is
 * refused even beside a live cookie. A cookie-authenticated request that changes something
 * cannot come from another site: the browser sends a SameSite=Strict cookie only with its own
 * site's requests, and {@link RequestGuard} (which runs first) refuses any {@code Origin} that
 * is not this request's own {@code http://<Host>}. Stateless apart from the token and the
 * sessions it asks; thread-safe.
 */
final class AccessGuard {
  static final String OPEN_PATH = "/health";
  static final String CHALLENGE = "Bearer realm=\"rbee\"";

  private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

  private final String daemon;
  private final AccessToken token;
  private final BrowserAccess browser;

  /** {@code browser}: null for a daemon that takes the bearer header only. */
  AccessGuard(String daemon, AccessToken token, BrowserAccess browser) {
    this.daemon = daemon;
    this.token = Objects.requireNonNull(token, "token");
    this.browser = browser;
  }

  /** Throws the 401 {@link ApiException} that refuses {@code ctx}, or returns when it may pass. */
  void check(Context ctx) {
    if ("GET".equals(ctx.method().name()) && OPEN_PATH.equals(ctx.path())) {
      return;
    }
    if (browser != null && browser.isOpen(ctx.method().name(), ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null && browser != null) {
      String session = ctx.cookie(BrowserAccess.COOKIE);
      if (session != null && browser.isLive(session)) {
        return;
      }
    }
    String why = refusal(header);
    if (why == null) {
      return;
    }
    if (header == null && browser != null) {
      why = ctx.cookie(BrowserAccess.COOKIE) == null
          ? "no Authorization header and no session cookie"
          : "no Authorization header, and the session cookie is expired or unknown (log in again)";
    }
    LOG.warn("{} {} from {} refused (401): {}", ctx.method(), abbreviate(ctx.path()),
        ctx.req().getRemoteAddr(), why);
    ctx.header("WWW-Authenticate", CHALLENGE);
    throw new ApiException(401, "unauthorized", why + ": every " + daemon
        + " path but GET /health" + (browser == null ? "" : " and the dashboard's") + " needs \"Authorization: Bearer <token>\" with this"
        + " installation's token ($RBEE_HOME/token, or RBEE_TOKEN)");
  }

  /** Why {@code header} does not pass, or null when it carries the token. */
  private String refusal(String header) {
    if (header == null || header.isBlank()) {
      return "no Authorization header";
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
      // nothing of the header is quoted: a misused one may hold a secret in any place
      return "the Authorization header is not \"Bearer <token>\"";
    }
    String presented = space < 0 ? "" : h.substring(space + 1).strip();
    if (presented.isEmpty()) {
      return "the Bearer token is empty";
    }
    return token.matches(presented) ? null : "the Bearer token is not this installation's";
  }

  private static String abbreviate(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() <= 40 ? clean : clean.substring(0, 40) + "...";
  }
}
