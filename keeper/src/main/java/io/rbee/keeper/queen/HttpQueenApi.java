package io.rbee.keeper.queen;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorBody;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The queen's HTTP API, through the job client (named "queen", so its messages read "queen at
 * http://... is not reachable"), plus the one plain-text read, a worker's log. Thread-safe.
 */
public final class HttpQueenApi implements QueenApi {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(3))
      .readTimeout(Duration.ofSeconds(30))
      .build();

  private final JobClient client;

  public HttpQueenApi(String url) {
    // the keeper prints text: tokens that wait for it together may come as one event
    this.client = new JobClient(url, HTTP).named("queen").withMergedTokens();
  }

  @Override
  public String url() {
    return client.baseUrl();
  }

  @Override
  public boolean healthy() {
    return client.healthy();
  }

  @Override
  public Submitted submit(Operation operation) throws JobClientException {
    return client.submit(operation);
  }

  @Override
  public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    return client.follow(jobId, afterId, onEvent);
  }

  @Override
  public JobInfo status(String jobId) throws JobClientException {
    return client.status(jobId);
  }

  @Override
  public JobInfo cancel(String jobId) throws JobClientException {
    return client.cancel(jobId);
  }

  /** {@code GET /v1/hives/{hive}/workers/{id}/logs?tail=N} (text/plain; 404 JSON if unknown). */
  @Override
  public String workerLogs(String hiveId, String workerId, int tail) throws JobClientException {
    HttpUrl base = HttpUrl.parse(url());
    if (base == null) {
      throw new JobClientException(Kind.UNREACHABLE, "queen URL is not an http(s) URL: " + url());
    }
    HttpUrl logs = base.newBuilder()
        .addPathSegments("v1/hives").addPathSegment(hiveId)
        .addPathSegment("workers").addPathSegment(workerId).addPathSegment("logs")
        .addQueryParameter("tail", Integer.toString(tail))
        .build();
    try (Response response = HTTP.newCall(new Request.Builder().url(logs).get().build())
        .execute()) {
      String body = response.body().string();
      if (response.code() == 200) {
        return body;
      }
      throw failure(response.code(), body);
    } catch (IOException e) {
      throw new JobClientException(Kind.UNREACHABLE, 0, null, "queen at " + url()
          + " is not reachable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  private JobClientException failure(int status, String body) {
    String message;
    String code = null;
    try {
      ErrorBody error = Json.MAPPER.readValue(body, ErrorBody.class);
      code = error.error().code();
      message = error.error().message();
    } catch (IOException | RuntimeException e) {
      message = "HTTP " + status;
    }
    Kind kind = status == 404 ? Kind.NOT_FOUND : Kind.REJECTED;
    String verb = status == 404 ? "not found on queen at " : "rejected by queen at ";
    return new JobClientException(kind, status, code, verb + url() + ": " + message, null);
  }
}
