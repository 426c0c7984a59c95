package io.rbee.jobs.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.rbee.jobs.ErrorBody;
import io.rbee.narration.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into the {@link ErrorBody} JSON of a daemon's whole
 * Javalin app: {@link ApiException} as thrown, unknown paths as 404 {@code not_found}, wrong
 * methods as 405 {@code method_not_allowed}, Javalin's own HTTP responses by their status, and
 * anything else as 500 {@code internal} with a one-line message. Never a stack trace on the
 * wire: unexpected exceptions are logged here instead.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** Installs the mapping on {@code cfg}; {@link DaemonHttp} does this for every daemon. */
  public static void install(JavalinConfig cfg) {
    cfg.http.prefer405over404 = true;
    cfg.routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.body()));
    cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
      int status = e.getStatus();
      write(ctx, status, ErrorBody.of(codeFor(status), messageFor(ctx, status, e.getMessage())));
    });
    cfg.routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, 500, ErrorBody.of("internal", "internal error: " + oneLine(e)));
    });
    // an Error (StackOverflowError, a linkage error) skips exception handlers: same shape
    cfg.router.javaLangErrorHandler((res, error) -> {
      LOG.error("request failed with an Error", error);
      try {
        res.setStatus(500);
        res.setContentType("application/json");
        res.getOutputStream().write(Json.write(
            ErrorBody.of("internal", "internal error: " + oneLine(error)))
            .getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        LOG.debug("could not write the error answer", e);
      }
    });
    // Javalin answers some statuses without an exception (no route at all): same shape.
    cfg.routes.error(404, ctx -> {
      if (!isJson(ctx)) {
        write(ctx, 404, ErrorBody.of("not_found", messageFor(ctx, 404, null)));
      }
    });
    cfg.routes.error(405, ctx -> {
      if (!isJson(ctx)) {
        write(ctx, 405, ErrorBody.of("method_not_allowed", messageFor(ctx, 405, null)));
      }
    });
  }

  /** A throwable as one line: its message, or its class name when it has none. */
  public static String oneLine(Throwable t) {
    String m = t.getMessage();
    String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static void write(Context ctx, int status, ErrorBody body) {
    ctx.status(status).json(body);
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/json");
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "http_" + status;
    };
  }

  private static String messageFor(Context ctx, int status, String javalinMessage) {
    String route = ctx.method() + " " + ctx.path();
    return switch (status) {
      case 404 -> "no such path: " + route;
      case 405 -> "method not allowed: " + route;
      default -> javalinMessage == null || javalinMessage.isBlank()
          ? "HTTP " + status + " for " + route
          : javalinMessage;
    };
  }
}
