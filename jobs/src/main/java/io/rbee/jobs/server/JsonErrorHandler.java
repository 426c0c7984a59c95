package io.rbee.jobs.server;

import io.rbee.jobs.ErrorBody;
import io.rbee.narration.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error page, as our {@link ErrorBody} JSON: the answers Jetty gives itself, before a
 * request reaches Javalin (a bad HTTP version, a URI or headers too large, a malformed
 * request line or header, a bad {@code Content-Length}), in the same shape as every other
 * refusal. Jetty's own page is HTML and names the URI; this one never carries HTML, a stack
 * or a cause.
 *
 * <p>A bad request is the client's fault: it is logged as one DEBUG line, never as a trace.
 * Jetty answers an unknown HTTP version with 505; here it is 400 {@code bad_request}, because
 * the request is what is wrong, not the server.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String reason = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      reason = reason == null ? http.getReason() : reason;
    }
    if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      status = 400;
      reason = "unsupported HTTP version (this daemon speaks HTTP/1.1)";
    }
    if (status < 400) {
      status = 400;
    }
    if (reason == null || reason.isBlank()) {
      reason = HttpStatus.getMessage(status);
    }
    LOG.debug("refused a bad request from {}: {} {}", Request.getRemoteAddr(request), status,
        reason);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    byte[] body = Json.write(ErrorBody.of(HttpErrors.codeFor(status), oneLine(reason))
        .withStatus(status))
        .getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static String oneLine(String text) {
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
