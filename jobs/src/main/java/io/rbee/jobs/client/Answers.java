package io.rbee.jobs.client;

import io.rbee.jobs.ErrorBody;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.narration.Json;
import java.io.IOException;
import java.util.List;
import okhttp3.Response;

/**
 * How a daemon's answers read to a {@link JobClient}: bodies, and non-2xx answers turned into
 * one {@link JobClientException} each, from the {@link ErrorBody} shape when the answer has it.
 * {@code who} names the daemon in messages ("queen at http://...").
 */
final class Answers {
  private Answers() {}

  /** The body of {@code response}; a connection that breaks mid-answer is UNREACHABLE. */
  static String body(Response response, String who) throws JobClientException {
    try {
      return response.body().string();
    } catch (IOException e) {
      throw new JobClientException(Kind.UNREACHABLE, response.code(), null,
          who + " broke the connection mid-answer (" + Failures.reason(e) + ")", e);
    }
  }

  /** The exception for a non-2xx answer, from its {@link ErrorBody} when it has one. */
  static JobClientException failure(Response response, String who) throws JobClientException {
    int status = response.code();
    String body = body(response, who);
    ErrorBody.Detail detail = null;
    try {
      ErrorBody error = Json.MAPPER.readValue(body, ErrorBody.class);
      detail = error == null ? null : error.error();
    } catch (IOException | RuntimeException ignored) {
      // not our error shape: said below
    }
    String what = response.request().method() + " " + response.request().url().encodedPath();
    if (detail == null || detail.message() == null) {
      Kind kind = status == 404 ? Kind.NOT_FOUND : status == 401 ? Kind.UNAUTHORIZED
          : Kind.PROTOCOL;
      return new JobClientException(kind, status, null,
          who + " answered " + what + " with HTTP " + status + ": " + abbreviate(body), null);
    }
    String message = detail.message();
    List<String> expected = detail.expected();
    if (expected != null && !expected.isEmpty()) {
      message += " (expected one of: " + String.join(", ", expected) + ")";
    }
    if (status == 404) {
      return new JobClientException(Kind.NOT_FOUND, status, detail.code(),
          "not found on " + who + ": " + message, null);
    }
    if (status == 401) {
      return new JobClientException(Kind.UNAUTHORIZED, status, detail.code(),
          "refused by " + who + " (401): " + message, null);
    }
    String verb = status >= 500 ? "failed on " : "rejected by ";
    return new JobClientException(Kind.REJECTED, status, detail.code(),
        verb + who + ": " + message, null);
  }

  /** {@code body} on one line, at most 200 characters, in quotes (for messages). */
  static String abbreviate(String body) {
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? "\"" + oneLine + "\"" : "\"" + oneLine.substring(0, 200)
        + "...\"";
  }
}
