package io.rbee.keeper.queen;

import io.rbee.jobs.Done;
import io.rbee.jobs.ErrorBody;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.jobs.client.JobStream;
import io.rbee.jobs.client.ResumeListener;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The queen's HTTP API, through the job client (named "queen", so its messages read "queen at
 * http://... is not reachable"), plus the one plain-text read, a worker's log. Every call but
 * {@link #healthy()} sends the installation's token ({@link QueenToken}); a queen that refuses
 * it, or no token at all, is a {@link Kind#UNAUTHORIZED} failure whose message says which token
 * was used (RBEE_TOKEN or the file), never its value. Thread-safe.
 */
public final class HttpQueenApi implements QueenApi {
  /**
   * For {@code http://} queens: no TLS connection specs, so OkHttp never sets TLS up (its trust
   * manager and socket factory cost ~100 ms of a command's start), built on first use.
   */
  private static final class Cleartext {
    static final OkHttpClient CLIENT = builder()
        .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
  }

  /** For {@code https://} queens. */
  private static final class Tls {
    static final OkHttpClient CLIENT = builder().build();
  }
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String url;
  private final QueenToken token;

  private final OkHttpClient http;

  public HttpQueenApi(String url, QueenToken token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
    this.http = this.url.regionMatches(true, 0, "https:", 0, 6) ? Tls.CLIENT : Cleartext.CLIENT;
  }

  /**
   * Sets up the HTTP client of {@code http://} queens now (OkHttp's platform, the client) rather
   * than at a command's first request: {@code WarmUp} calls it on a thread of its own.
   */
  public static void prepare() {
    Cleartext.CLIENT.connectionPool(); // the class's initialisation is the work
  }

  private static OkHttpClient.Builder builder() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(3))
        .readTimeout(Duration.ofSeconds(30));
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public boolean healthy() {
    return JobClient.withoutToken(url, http).healthy(); // the one path that needs no token
  }

  @Override
  public Submitted submit(Operation operation) throws JobClientException {
    return call(c -> c.submit(operation));
  }

  @Override
  public Done run(Operation operation, Consumer<Submitted> onSubmitted,
      Consumer<SseEvent> onEvent) throws JobClientException {
    return call(c -> c.run(operation, onSubmitted, onEvent));
  }

  @Override
  public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    return call(c -> c.follow(jobId, afterId, onEvent));
  }

  @Override
  public Done follow(String jobId, long afterId, Duration window, ResumeListener resumes,
      Consumer<SseEvent> onEvent) throws JobClientException {
    return call(c -> c.withResumeWindow(window).follow(jobId, afterId, onEvent, resumes));
  }

  @Override
  public Done replay(String jobId, long upToId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    return call(c -> {
      try (JobStream stream = c.stream(jobId, 0)) {
        SseEvent e;
        while ((e = stream.next()) != null) {
          onEvent.accept(e);
          if (JobEvent.DONE.equals(e.event())) {
            return JobClient.parseDone(jobId, url, e);
          }
          if (e.numericId() >= upToId) {
            return null;
          }
        }
        throw new JobClientException(Kind.STREAM_BROKEN, 0, null, "stream of job " + jobId
            + " from queen at " + url + " ended before event " + upToId + " or done", null);
      }
    });
  }

  @Override
  public JobList jobs(Map<String, String> query) throws JobClientException {
    return call(c -> {
      HttpUrl.Builder u = c.url("v1", "jobs").newBuilder();
      query.forEach(u::addQueryParameter);
      return c.get(u.build(), JobList.class);
    });
  }

  @Override
  public JobInfo status(String jobId) throws JobClientException {
    return call(c -> c.status(jobId));
  }

  @Override
  public JobInfo cancel(String jobId) throws JobClientException {
    return call(c -> c.cancel(jobId));
  }

  /**
   * {@code POST /v1/chat/completions}, streamed. Its reads time out after 30 s without a byte
   * (the queen sends a keep-alive comment every 2 s while an answer waits).
   */
  @Override
  public ChatCall chat(ChatRequest request) throws JobClientException {
    AccessToken current = token.read().orElseThrow(() -> new JobClientException(
        Kind.UNAUTHORIZED, 0, null, "queen at " + url + ": " + token.missing(), null));
    Request post = new Request.Builder().url(url + "/v1/chat/completions")
        .header("Authorization", current.authorization())
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(request.json(), JSON))
        .build();
    return new HttpChatCall(http.newCall(post), "queen at " + url,
        (status, body) -> status == 401 ? refused() : failure(status, body));
  }

  private interface Call<T> {
    T on(JobClient client) throws JobClientException;
  }

  /** {@code call} on a client with the token as it is now; a 401 says which token was sent. */
  private <T> T call(Call<T> call) throws JobClientException {
    AccessToken current = token.read().orElseThrow(() -> new JobClientException(
        Kind.UNAUTHORIZED, 0, null, "queen at " + url + ": " + token.missing(), null));
    try {
      // the keeper prints text: tokens that wait for it together may come as one event
      return call.on(new JobClient(url, http, current).named("queen").withMergedTokens());
    } catch (JobClientException e) {
      if (e.kind() == Kind.UNAUTHORIZED) {
        throw refused();
      }
      throw e;
    }
  }

  /** A 401: which token was sent, where the right one is; never a token's value. */
  private JobClientException refused() {
    return new JobClientException(Kind.UNAUTHORIZED, 401, "unauthorized", "queen at " + url
        + " refused the token from " + token.source() + " (401): it is not that queen's"
        + " installation's token; use the queen's $RBEE_HOME/token, or set " + TokenFile.ENV
        + " to it", null);
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
    AccessToken current = token.read().orElseThrow(() -> new JobClientException(
        Kind.UNAUTHORIZED, 0, null, "queen at " + url + ": " + token.missing(), null));
    try (Response response = http.newCall(new Request.Builder().url(logs)
        .header("Authorization", current.authorization()).get().build()).execute()) {
      String body = response.body().string();
      if (response.code() == 200) {
        return body;
      }
      if (response.code() == 401) {
        throw refused();
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
