package io.rbee.keeper;

import io.rbee.jobs.Done;
import io.rbee.jobs.HistoryStatus;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.Token;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.keeper.queen.ChatCall;
import io.rbee.keeper.queen.ChatRequest;
import io.rbee.keeper.queen.QueenApi;
import io.rbee.narration.Json;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;
import io.rbee.narration.Progress;
import io.rbee.narration.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A queen without a network: records what it is asked, and answers every job with the events
 * scripted for it (by default one narration and {@code done} succeeded). {@link #breakStream}
 * makes follow throw STREAM_BROKEN after the scripted events, as the real client does.
 */
final class FakeQueen implements QueenApi {
  final List<Operation> submitted = new CopyOnWriteArrayList<>();
  final List<String> followed = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile boolean healthy = true;
  private final String url;
  private final List<SseEvent> script = new ArrayList<>();
  private final Map<String, List<SseEvent>> scripts = new java.util.HashMap<>();
  private final Map<String, Operation> operations = new java.util.concurrent.ConcurrentHashMap<>();
  private boolean breakStream;
  private int jobs;

  FakeQueen() {
    this("http://127.0.0.1:8500");
  }

  FakeQueen(String url) {
    this.url = url;
  }

  /** Scripts the events every job streams (their ids numbered from 1); done is added by end. */
  FakeQueen events(SseEvent... events) {
    script.addAll(List.of(events));
    return this;
  }

  /** Scripts the events of the jobs of one operation, by name; others get {@link #events}. */
  FakeQueen eventsFor(String operation, SseEvent... events) {
    scripts.put(operation, List.of(events));
    return this;
  }

  FakeQueen breakStream() {
    breakStream = true;
    return this;
  }

  static SseEvent narration(String actor, String action, String human) {
    return event(JobEvent.NARRATION, Json.write(new Narration(actor, action, null, human,
        "job-1", Level.INFO, "2026-01-01T00:00:00Z", null, null, null, null, null, null, null)));
  }

  static SseEvent errorNarration(String actor, String action, String kind, String human) {
    return event(JobEvent.NARRATION, Json.write(new Narration(actor, action, null, human,
        "job-1", Level.ERROR, "2026-01-01T00:00:00Z", null, null, null, null, kind, null, null)));
  }

  static SseEvent progress(long current, long total) {
    return event(JobEvent.NARRATION, Json.write(new Narration("hive", "download_progress",
        "demo", "progress", "job-1", Level.INFO, "2026-01-01T00:00:00Z", null, null, "demo",
        null, null, null, new Progress(current, total, "bytes"))));
  }

  static SseEvent token(String text) {
    return event(JobEvent.TOKEN, Json.write(new Token(text)));
  }

  static SseEvent result(Object value) {
    return event(JobEvent.RESULT, Json.write(value));
  }

  static SseEvent done(JobStatus status, String error, Map<String, Object> stats) {
    return event(JobEvent.DONE, Json.write(new Done("job-1", status, error, null, stats)));
  }

  static SseEvent event(String name, String data) {
    return new SseEvent(null, name, data);
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public boolean healthy() {
    calls.add("healthy");
    return healthy;
  }

  /** Not {@link #healthy}: nothing listens, so a submit is refused as the real client's is. */
  @Override
  public synchronized Submitted submit(Operation operation) throws JobClientException {
    if (!healthy) {
      calls.add("refused");
      throw new JobClientException(Kind.UNREACHABLE, 0, null, "queen at " + url
          + " is not reachable (ConnectException: Connection refused)",
          new java.net.ConnectException("Connection refused"));
    }
    submitted.add(operation);
    String id = "job-" + (++jobs);
    operations.put(id, operation);
    return new Submitted(id, "/v1/jobs/" + id + "/stream");
  }

  @Override
  public Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    followed.add(jobId + "@" + afterId);
    long id = 0;
    Done done = null;
    Operation op = operations.get(jobId);
    List<SseEvent> events = op == null ? script : scripts.getOrDefault(op.name(), script);
    for (SseEvent e : events) {
      id++;
      if (id <= afterId) {
        continue;
      }
      SseEvent numbered = new SseEvent(Long.toString(id), e.event(), e.data());
      onEvent.accept(numbered);
      if (JobEvent.DONE.equals(e.event())) {
        done = Json.read(e.data(), Done.class);
        break;
      }
    }
    if (done == null && breakStream) {
      throw new JobClientException(Kind.STREAM_BROKEN, "stream of job " + jobId + " from "
          + url + " broke before done: connection refused");
    }
    if (done == null) {
      done = new Done(jobId, JobStatus.SUCCEEDED, null, null, null);
      onEvent.accept(new SseEvent(Long.toString(id + 1), JobEvent.DONE, Json.write(done)));
    }
    return done;
  }

  @Override
  public JobInfo status(String jobId) throws JobClientException {
    calls.add("status " + jobId);
    if (!jobId.startsWith("job-")) {
      throw new JobClientException(Kind.NOT_FOUND, 404, "job_not_found",
          "not found on queen at " + url + ": no job \"" + jobId + "\"", null);
    }
    return new JobInfo(jobId, "Status", jobStatus, "2026-01-01T00:00:00Z",
        jobStatus.isFinal() ? "2026-01-01T00:00:01Z" : null, null, null, 3);
  }

  /** What {@link #status} says of every job (default: succeeded, last event 3). */
  volatile JobStatus jobStatus = JobStatus.SUCCEEDED;

  @Override
  public Done replay(String jobId, long upToId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    calls.add("replay " + jobId + " up to " + upToId);
    Done[] done = {null};
    follow(jobId, 0, e -> { // the scripted stream, cut after upToId as the real replay is
      if (done[0] == null && e.numericId() <= upToId) {
        onEvent.accept(e);
        if (JobEvent.DONE.equals(e.event())) {
          done[0] = Json.read(e.data(), Done.class);
        }
      }
    });
    return done[0];
  }

  @Override
  public JobList jobs(Map<String, String> query) {
    calls.add("jobs " + query);
    return new JobList(List.of(new JobInfo("job-2", "HiveStatus", JobStatus.FAILED,
        "2026-01-01T00:00:05Z", "2026-01-01T00:00:05.250Z", "no hive nope", null, 2),
        new JobInfo("job-1", "Status", JobStatus.RUNNING, "2026-01-01T00:00:00Z", null, null,
            null, 1)), HistoryStatus.off("turned off"));
  }

  @Override
  public JobInfo cancel(String jobId) {
    calls.add("cancel " + jobId);
    return new JobInfo(jobId, "Infer", JobStatus.CANCELLED, "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z", null, null, 5);
  }

  /** Refuses every chat: the chat's own tests have a queen that answers them. */
  @Override
  public ChatCall chat(ChatRequest request) throws JobClientException {
    calls.add("chat " + request.model());
    throw new JobClientException(Kind.REJECTED, 503, "unsupported", "this fake queen does not"
        + " chat", null);
  }

  @Override
  public String workerLogs(String hiveId, String workerId, int tail) {
    calls.add("logs " + hiveId + " " + workerId + " " + tail);
    return "line 1\nline 2";
  }
}
