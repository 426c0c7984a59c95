package io.rbee.jobs.server;

import io.rbee.jobs.ErrorBody;
import java.util.List;

/**
 * A request a daemon refuses, with the HTTP status and the {@link ErrorBody} it answers:
 * route code throws it, {@link HttpErrors} writes it. The message is for people and names the
 * bad value ({@code "no job \"job-42\" on this hive"}).
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<String> expected;
  private String param;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  /** {@code expected} lists the valid values (the operations a daemon accepts); may be null. */
  public ApiException(int status, String code, String message, List<String> expected) {
    super(message, null, false, false); // a refusal, not a bug: no stack trace to fill
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx, got " + status);
    }
    this.status = status;
    this.code = code;
    this.expected = expected == null ? null : List.copyOf(expected);
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<String> expected() {
    return expected;
  }

  /** This refusal naming {@code field}, the request field at fault (OpenAI's {@code param}). */
  public ApiException param(String field) {
    this.param = field;
    return this;
  }

  /** The JSON body this refusal is answered with. */
  public ErrorBody body() {
    ErrorBody body = ErrorBody.of(code, getMessage(), expected).withStatus(status);
    return param == null ? body : body.withParam(param);
  }
}
