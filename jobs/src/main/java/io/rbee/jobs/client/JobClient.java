package io.rbee.jobs.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.rbee.jobs.Done;
import io.rbee.jobs.Ids;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.StreamKeepAlive;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.Token;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The client of one daemon's job API ({@code http://127.0.0.1:8500}): submit, follow, cancel,
 * and plain JSON reads. Immutable and thread-safe; {@code with…} methods return copies.
 *
 * <p>A client made with an {@link AccessToken} sends it as {@code Authorization: Bearer} on every
 * request (every daemon requires it on every path but {@code /health}); one made without
 * sends none, and a daemon answers it 401, which is {@link JobClientException.Kind#UNAUTHORIZED}.
 *
 * <p>Every failure is a {@link JobClientException} whose message names the server and what
 * happened, in one line.
 *
 * <p>Timeouts: connecting 3 s (on the default HTTP client); a plain call (submit, status,
 * cancel, a JSON or text GET) at most {@link #CALL_TIMEOUT} in all, unless the HTTP client it
 * was given sets its own call timeout. A stream has no read timeout: it asks the server for a
 * keep-alive every {@link #keepAlive()} and counts as broken after
 * {@link StreamKeepAlive#DEAD_AFTER_INTERVALS} such intervals without a byte (then
 * {@link #follow} resumes it). Connections are pooled by the HTTP client and reused, streams
 * included once they ended with {@code done}.
 */
public final class JobClient {
  /** The most a plain (non-stream) call takes, connecting and reading included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /** The keep-alive a stream asks for unless told otherwise (the daemons' own default). */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

  /**
   * Shared by every client made without one: one connection pool per process. No read
   * timeout: plain calls are bounded by {@link #CALL_TIMEOUT}, streams by silence. The pool
   * keeps up to 64 idle connections (OkHttp's default of 5 is for the whole process: a queen
   * relaying to many workers would reconnect most of the time) for 90 s, less than the
   * daemons' 2 min idle timeout, so a pooled connection is not one the server already closed.
   */
  private static final class DefaultHttp { // a holder: built on first use, not at class load
    static final OkHttpClient CLIENT = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(64, 90, TimeUnit.SECONDS))
        .connectTimeout(Duration.ofSeconds(3))
        .readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(3);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  private final String baseUrl;
  private final OkHttpClient http;
  // http without read and call timeouts (the same pool): what streams use
  private final OkHttpClient streamHttp;
  private final String peer;
  private final Duration resumeWindow;
  private final Duration keepAlive;
  // "Bearer <token>", or null for a client without a token
  private final String authorization;
  private final boolean mergeTokens;

  /** A client that sends {@code token} on every request. */
  public JobClient(String baseUrl, AccessToken token) {
    this(baseUrl, DefaultHttp.CLIENT, token);
  }

  /**
   * A client over {@code http} (its pool, its connect timeout, its event listener) that sends
   * {@code token} on every request. Its read and call timeouts, if any, apply to plain calls
   * only: a stream lives as long as its job, judged by silence.
   */
  public JobClient(String baseUrl, OkHttpClient http, AccessToken token) {
    this(baseUrl, http, forStreams(http), null, DEFAULT_RESUME_WINDOW, DEFAULT_KEEP_ALIVE,
        Objects.requireNonNull(token, "token").authorization(), false);
  }

  /**
   * A client that sends no token: every daemon answers it 401 on every path but {@code
   * /health} (for health checks, and for tests of that refusal).
   */
  public static JobClient withoutToken(String baseUrl) {
    return withoutToken(baseUrl, DefaultHttp.CLIENT);
  }

  /** {@link #withoutToken(String)} over {@code http} (its pool, its timeouts). */
  public static JobClient withoutToken(String baseUrl, OkHttpClient http) {
    return new JobClient(baseUrl, http, forStreams(http), null,
        DEFAULT_RESUME_WINDOW, DEFAULT_KEEP_ALIVE, null, false);
  }

  private JobClient(String baseUrl, OkHttpClient http, OkHttpClient streamHttp, String peer,
      Duration resumeWindow, Duration keepAlive, String authorization, boolean mergeTokens) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = Objects.requireNonNull(http, "http");
    this.streamHttp = streamHttp;
    this.peer = peer;
    this.resumeWindow = resumeWindow;
    this.keepAlive = keepAlive;
    this.authorization = authorization;
    this.mergeTokens = mergeTokens;
  }

  /** {@code http} without read and call timeouts (same pool, same listener). */
  private static OkHttpClient forStreams(OkHttpClient http) {
    Objects.requireNonNull(http, "http");
    if (http.readTimeoutMillis() == 0 && http.callTimeoutMillis() == 0) {
      return http;
    }
    return http.newBuilder().readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * A copy that names the server in messages: {@code named("queen")} gives "queen at
   * http://... is not reachable".
   */
  public JobClient named(String peer) {
    return new JobClient(baseUrl, http, streamHttp, peer, resumeWindow, keepAlive,
        authorization, mergeTokens);
  }

  /** A copy that keeps trying to resume a broken stream for {@code window} (default 3 s). */
  public JobClient withResumeWindow(Duration window) {
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException("resume window must be >= 0, got " + window);
    }
    return new JobClient(baseUrl, http, streamHttp, peer, window, keepAlive, authorization,
        mergeTokens);
  }

  /**
   * A copy whose streams ask the server for a keep-alive every {@code interval} (default 5 s,
   * within {@link StreamKeepAlive#MIN}..{@link StreamKeepAlive#MAX}) and count as broken after
   * {@link StreamKeepAlive#DEAD_AFTER_INTERVALS} intervals without a byte. A relay that must
   * notice a stopped peer within seconds asks for 1 s.
   */
  public JobClient withKeepAlive(Duration interval) {
    return new JobClient(baseUrl, http, streamHttp, peer, resumeWindow,
        StreamKeepAlive.check(interval), authorization, mergeTokens);
  }

  /**
   * A copy whose streams ask for merged tokens ({@link Token#MERGE_PARAM}): tokens that wait
   * for this follower together arrive as one {@code token} event, their texts joined. For a
   * follower that wants the text (a relay, a printer), not one event per token.
   */
  public JobClient withMergedTokens() {
    return new JobClient(baseUrl, http, streamHttp, peer, resumeWindow, keepAlive,
        authorization, true);
  }

  /** True when this client's streams ask for merged tokens ({@link #withMergedTokens()}). */
  public boolean mergesTokens() {
    return mergeTokens;
  }

  /** The keep-alive interval this client's streams ask for. */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** How long a stream of this client may wait without a byte before it counts as broken. */
  public Duration silenceLimit() {
    return StreamKeepAlive.deadAfter(keepAlive);
  }

  /** {@code POST /v1/jobs}: starts a job; the job runs whether or not anyone follows it. */
  public Submitted submit(Operation op) throws JobClientException {
    String body = Json.write(new SubmitRequest(op));
    Request request = authorized(new Request.Builder().url(url("v1", "jobs"))
        .post(RequestBody.create(body, JSON)));
    return exchange(request, Json.MAPPER.constructType(Submitted.class));
  }

  /**
   * A plain JSON POST of {@code body} to {@code url} (made with {@link #url}), with the token
   * like every call, its answer read as {@code type}: a hive's heartbeat to the queen. Errors
   * as for the other plain calls.
   */
  public <T> T post(HttpUrl url, Object body, Class<T> type) throws JobClientException {
    Request request = authorized(new Request.Builder().url(url)
        .post(RequestBody.create(Json.write(body), JSON)));
    return exchange(request, Json.MAPPER.constructType(type));
  }

  /** {@code GET /v1/jobs/{id}}. */
  public JobInfo status(String jobId) throws JobClientException {
    return exchange(authorized(new Request.Builder().url(jobUrl(jobId)).get()),
        Json.MAPPER.constructType(JobInfo.class));
  }

  /** {@code DELETE /v1/jobs/{id}}: cancels the job; a finished job is left as it is. */
  public JobInfo cancel(String jobId) throws JobClientException {
    Request request = authorized(new Request.Builder().url(jobUrl(jobId)).delete());
    return exchange(request, Json.MAPPER.constructType(JobInfo.class));
  }

  /** A plain JSON GET of {@code path} ({@code /v1/workers}). */
  public <T> T get(String path, Class<T> type) throws JobClientException {
    return exchange(getRequest(path), Json.MAPPER.constructType(type));
  }

  /** A plain JSON GET of {@code url} (made with {@link #url}, query parameters added). */
  public <T> T get(HttpUrl url, Class<T> type) throws JobClientException {
    return exchange(authorized(new Request.Builder().url(url).get()),
        Json.MAPPER.constructType(type));
  }

  /** A plain JSON GET of {@code path} into a generic type. */
  public <T> T get(String path, TypeReference<T> type) throws JobClientException {
    return exchange(getRequest(path), Json.MAPPER.constructType(type));
  }

  /**
   * The URL of {@code segments} under the base URL, each one encoded as a single path segment
   * ({@code url("v1", "workers", id, "logs")}): an id can never add, climb or replace a path
   * part. Throws {@link IllegalArgumentException} for an id that is not {@link Ids#valid}.
   */
  public HttpUrl url(String... segments) {
    HttpUrl.Builder b = HttpUrl.get(baseUrl).newBuilder();
    for (String segment : segments) {
      b.addPathSegment(Ids.require("path segment", segment));
    }
    return b.build();
  }

  /** {@code /v1/jobs/{jobId}[/more]}; a job id no daemon makes is refused before any request. */
  private HttpUrl jobUrl(String jobId, String... more) throws JobClientException {
    if (!Ids.valid(jobId)) {
      throw new JobClientException(Kind.REJECTED, 400, "invalid_id",
          "\"" + jobId + "\" is not a job id (job ids look like job-6f0c…)", null);
    }
    String[] segments = new String[3 + more.length];
    segments[0] = "v1";
    segments[1] = "jobs";
    segments[2] = jobId;
    System.arraycopy(more, 0, segments, 3, more.length);
    return url(segments);
  }

  /** A plain text GET of {@code path} ({@code /v1/workers/{id}/logs}); errors as for JSON. */
  public String getText(String path) throws JobClientException {
    return getText(HttpUrl.get(baseUrl + (path.startsWith("/") ? path : "/" + path)));
  }

  /** A plain text GET of {@code url} (made with {@link #url}); errors as for JSON. */
  public String getText(HttpUrl url) throws JobClientException {
    try (Response response = execute(plainCall(authorized(new Request.Builder().url(url).get())))) {
      if (response.code() < 200 || response.code() > 299) {
        throw Answers.failure(response, who());
      }
      return Answers.body(response, who());
    }
  }

  /** True when {@code GET /health} answers 200 within 2 s; false otherwise, never throws. */
  public boolean healthy() {
    Call call = http.newCall(getRequest("/health"));
    call.timeout().timeout(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try (Response r = call.execute()) {
      return r.code() == 200;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Opens the stream of {@code jobId} after event {@code afterId} (0: from the start). Throws
   * NOT_FOUND for an unknown job, UNREACHABLE when there is no connection or the server does
   * not answer within the silence limit.
   */
  public JobStream stream(String jobId, long afterId) throws JobClientException {
    return stream(jobId, afterId, silenceLimit());
  }

  /**
   * {@link #stream(String, long)} waiting at most {@code answerWithin} for the server to
   * answer (a resume attempt must not outlast its window); the stream then gets the silence
   * limit.
   */
  JobStream stream(String jobId, long afterId, Duration answerWithin) throws JobClientException {
    Request.Builder b = new Request.Builder()
        .url(withStreamParams(jobUrl(jobId, "stream").newBuilder()))
        .header("Accept", "text/event-stream");
    if (afterId > 0) {
      b.header("Last-Event-ID", Long.toString(afterId));
    }
    Opened opened = open(authorized(b), answerWithin);
    if (!opened.isEventStream()) {
      String type = opened.response().header("Content-Type", "");
      opened.close();
      throw new JobClientException(Kind.PROTOCOL, 200, null,
          who() + " answered the stream of job " + jobId + " with \"" + type
              + "\", not text/event-stream", null);
    }
    return opened.stream(jobId, afterId);
  }

  /** A stream's answer, its head read (2xx), its body not yet; its silence watched. */
  private record Opened(Call call, Response response, SilenceWatch.Deadline deadline,
      String baseUrl) {
    boolean isEventStream() {
      return response.header("Content-Type", "").startsWith("text/event-stream");
    }

    JobStream stream(String jobId, long afterId) {
      return new JobStream(jobId, baseUrl, call, response, deadline, afterId);
    }

    void close() {
      deadline.close();
      response.close();
    }
  }

  /**
   * Sends {@code request} for a stream, waiting at most {@code answerWithin} for the head of
   * the answer (then the stream gets the silence limit). Throws UNREACHABLE without an answer,
   * the server's refusal for a status other than 200.
   */
  private Opened open(Request request, Duration answerWithin) throws JobClientException {
    Call call = streamHttp.newCall(request);
    // watched from the start: a server that accepts and never answers is silent too
    SilenceWatch.Deadline deadline = SilenceWatch.SHARED.watch(call, answerWithin);
    Response response;
    deadline.waiting();
    try {
      response = call.execute();
    } catch (IOException e) {
      deadline.close();
      IOException why = deadline.expired() ? new SilentPeerException(
          "no answer within " + Durations.say(deadline.limit()), e) : e;
      throw new JobClientException(Kind.UNREACHABLE, 0, null,
          who() + " is not reachable (" + Failures.reason(why) + ")", why);
    } finally {
      deadline.idle();
    }
    deadline.limit(silenceLimit());
    if (response.code() != 200) {
      deadline.close();
      try (response) {
        throw Answers.failure(response, who());
      }
    }
    return new Opened(call, response, deadline, baseUrl);
  }

  /** {@code url} with what a stream asks of the server: its keep-alive, merged tokens. */
  private HttpUrl withStreamParams(HttpUrl.Builder url) {
    url.addQueryParameter(StreamKeepAlive.PARAM, Long.toString(keepAlive.toMillis()));
    if (mergeTokens) {
      url.addQueryParameter(Token.MERGE_PARAM, "true");
    }
    return url.build();
  }

  /**
   * Follows {@code jobId} to its end: calls {@code onEvent} for every event after
   * {@code afterId}, {@code done} included, on this thread, and returns the {@code done}. A
   * connection that breaks (or goes silent past {@link #silenceLimit()}) before {@code done}
   * is resumed with {@code Last-Event-ID} (no event lost or repeated) for up to the resume
   * window; after that, STREAM_BROKEN.
   *
   * <p>Events the server no longer had when they were asked for (evicted from its history
   * while the follower was slow or away) are never skipped silently: right before the next
   * event, {@code onEvent} gets one {@code event: gap} (no id) whose data is a
   * {@link io.rbee.narration.Gap} with the count missed and that next event's id. The server's own
   * announcement of the same loss is folded into it, so each loss is told exactly once.
   */
  public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    return follow(jobId, afterId, onEvent, ResumeListener.NONE);
  }

  /** {@link #follow(String, long, Consumer)} telling {@code resumes} of each outage and its end. */
  public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent,
      ResumeListener resumes) throws JobClientException {
    return new StreamFollower(this, jobId, resumeWindow, resumes).follow(afterId, onEvent);
  }

  /** {@link #run(Operation, Consumer, Consumer)} without looking at the job's id. */
  public Done run(Operation op, Consumer<SseEvent> onEvent) throws JobClientException {
    return run(op, submitted -> { }, onEvent);
  }

  /**
   * Submits {@code op} and follows the new job to its end, as {@link #submit} then
   * {@link #follow} from the start would, in one request: {@code POST /v1/jobs} with
   * {@code Accept: text/event-stream} answers the job's stream (its id in
   * {@link Submitted#JOB_ID_HEADER}), so the first event comes one round trip sooner.
   * {@code onSubmitted} hears the job's id before any event (to cancel it, to say it); a
   * stream that breaks is resumed as {@link #follow} resumes it. A daemon that answers the
   * submit with JSON (one from before this request existed) is followed with a second request.
   * Errors as for {@link #submit} and {@link #follow}.
   */
  public Done run(Operation op, Consumer<Submitted> onSubmitted, Consumer<SseEvent> onEvent)
      throws JobClientException {
    Request request = authorized(new Request.Builder()
        .url(withStreamParams(url("v1", "jobs").newBuilder()))
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(Json.write(new SubmitRequest(op)), JSON)));
    // the head comes once the job exists: bounded as a plain submit is, then by silence
    Opened opened = open(request, CALL_TIMEOUT);
    String jobId;
    try {
      jobId = opened.isEventStream() ? opened.response().header(Submitted.JOB_ID_HEADER)
          : submittedOf(opened).jobId();
      if (jobId == null || !Ids.valid(jobId)) {
        throw new JobClientException(Kind.PROTOCOL, 200, null, who() + " answered POST "
            + "/v1/jobs without a job id (" + (opened.isEventStream()
                ? "a stream, no " + Submitted.JOB_ID_HEADER + " header" : "JSON without job_id")
            + "): got \"" + jobId + "\"", null);
      }
      onSubmitted.accept(Submitted.of(jobId));
    } catch (JobClientException | RuntimeException e) {
      opened.close();
      throw e;
    }
    if (!opened.isEventStream()) {
      opened.close();
      return follow(jobId, 0, onEvent);
    }
    return new StreamFollower(this, jobId, resumeWindow, ResumeListener.NONE)
        .follow(0, onEvent, opened.stream(jobId, 0));
  }

  /** The JSON answer of a plain submit, read from a stream's answer. */
  private Submitted submittedOf(Opened opened) throws JobClientException {
    String body = Answers.body(opened.response(), who());
    try {
      return Json.MAPPER.readValue(body, Submitted.class);
    } catch (IOException e) {
      throw new JobClientException(Kind.PROTOCOL, 200, null, who() + " answered POST /v1/jobs"
          + " with something that is neither a stream nor a job id: "
          + Answers.abbreviate(body), e);
    }
  }

  /** Parses the data of a {@code done} event (a PROTOCOL failure when it is not JSON). */
  public static Done parseDone(String jobId, String baseUrl, SseEvent e) throws JobClientException {
    if (!JobEvent.DONE.equals(e.event())) {
      throw new IllegalArgumentException("not a done event: " + e.event());
    }
    try {
      return Json.read(e.data(), Done.class);
    } catch (RuntimeException ex) {
      throw new JobClientException(Kind.PROTOCOL, 0, null,
          "job " + jobId + " from " + baseUrl + " ended with a done event that is not JSON: "
              + e.data(), ex);
    }
  }

  /** "queen at http://..." or just the URL when the client has no name. */
  String who() {
    return peer == null ? baseUrl : peer + " at " + baseUrl;
  }

  private Request getRequest(String path) {
    return authorized(new Request.Builder()
        .url(baseUrl + (path.startsWith("/") ? path : "/" + path)).get());
  }

  /** {@code b} with this client's {@code Authorization} header, when it has a token. */
  private Request authorized(Request.Builder b) {
    return authorization == null ? b.build() : b.header("Authorization", authorization).build();
  }

  /** A call of a plain request: bounded in all by {@link #CALL_TIMEOUT}. */
  private Call plainCall(Request request) {
    Call call = http.newCall(request);
    if (http.callTimeoutMillis() == 0) {
      call.timeout().timeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    return call;
  }

  private <T> T exchange(Request request, JavaType type) throws JobClientException {
    try (Response response = execute(plainCall(request))) {
      if (response.code() < 200 || response.code() > 299) {
        throw Answers.failure(response, who());
      }
      String body = Answers.body(response, who());
      try {
        return Json.MAPPER.readValue(body, type);
      } catch (IOException e) {
        throw new JobClientException(Kind.PROTOCOL, response.code(), null,
            who() + " answered " + request.method() + " " + request.url().encodedPath()
                + " with something that is not the expected JSON: " + Answers.abbreviate(body), e);
      }
    }
  }

  private Response execute(Call call) throws JobClientException {
    try {
      return call.execute();
    } catch (IOException e) {
      throw new JobClientException(Kind.UNREACHABLE, 0, null,
          who() + " is not reachable (" + Failures.reason(e) + ")", e);
    }
  }

  /** The body of {@code POST /v1/jobs}. */
  record SubmitRequest(Operation operation) {}
}
