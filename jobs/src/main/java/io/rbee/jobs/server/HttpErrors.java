package io.rbee.jobs.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import io.rbee.jobs.ErrorBody;
import io.rbee.narration.Json;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into the {@link ErrorBody} JSON of a daemon's whole
 * Javalin app: {@link ApiException} as thrown, unknown paths as 404 {@code not_found}, wrong
 * methods as 405 {@code method_not_allowed}, Javalin's own HTTP responses by their status, a bad
 * query parameter as 400 {@code invalid_parameter}, what a malformed request makes reading it
 * throw (a broken chunked body, an unknown charset) as the fitting 4xx, and anything else as
 * 500 {@code internal} with a one-line message. Never a stack trace on the wire; unexpected
 * exceptions are logged here with theirs, bad requests as one DEBUG line. What Jetty refuses
 * before Javalin sees it is answered in the same shape by {@link JsonErrorHandler}.
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
    cfg.routes.exception(ValidationException.class, (e, ctx) -> write(ctx, 400,
        ErrorBody.of("invalid_parameter", validationMessage(e))));
    cfg.routes.exception(Exception.class, (e, ctx) -> {
      ErrorBody bad = badRequest(e);
      if (bad != null) {
        // the client's fault, not ours: one quiet line, no trace
        LOG.debug("{} {} refused: {}", ctx.method(), ctx.path(), bad.error().message());
        write(ctx, statusOf(e), bad);
        return;
      }
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
            ErrorBody.of("internal", "internal error: " + oneLine(error)).withStatus(500))
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

  /**
   * The answer to an exception that a bad request causes while a route reads it (a body
   * that breaks off or is not valid chunked encoding, a charset this JVM does not know), or
   * null when the exception is a bug of ours.
   */
  private static ErrorBody badRequest(Exception e) {
    Throwable http = httpException(e);
    if (http instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
      return ErrorBody.of(codeFor(h.getCode()), "bad request: " + oneLine(http));
    }
    if (e instanceof UnsupportedCharsetException || e instanceof IllegalCharsetNameException) {
      return ErrorBody.of("unsupported_charset",
          "unknown charset \"" + oneLine(e) + "\" (send UTF-8)");
    }
    if (e instanceof EOFException || e.getCause() instanceof EOFException) {
      return ErrorBody.of("bad_request", "the request body could not be read: " + oneLine(e));
    }
    return null;
  }

  private static int statusOf(Exception e) {
    if (httpException(e) instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
      return h.getCode();
    }
    return e instanceof UnsupportedCharsetException || e instanceof IllegalCharsetNameException
        ? 415 : 400;
  }

  private static Throwable httpException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException) {
        return t;
      }
    }
    return null;
  }

  private static String validationMessage(ValidationException e) {
    return e.getErrors().entrySet().stream()
        .map(entry -> entry.getKey() + ": " + entry.getValue().stream()
            .map(v -> "invalid value \"" + v.value + "\"").findFirst().orElse("invalid"))
        .findFirst().map(m -> "query parameter " + m).orElse("invalid query parameter");
  }

  private static void write(Context ctx, int status, ErrorBody body) {
    ctx.status(status).json(body.withStatus(status));
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/json");
  }

  /** The error code of a status that has no more specific one. */
  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 411 -> "length_required";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 421 -> "misdirected_request";
      case 429 -> "too_many_requests";
      case 431 -> "headers_too_large";
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
