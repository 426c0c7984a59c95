package io.rbee.keeper.queen;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.ResumeListener;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the keeper's commands ask of a queen. The real one is {@link HttpQueenApi} (over
 * {@link io.rbee.jobs.client.JobClient}); tests hand commands a fake. Failures are
 * {@link JobClientException}s whose messages are printable as they are.
 */
public interface QueenApi {
  /** The queen's base URL, without a trailing slash. */
  String url();

  /** True when {@code GET /health} answers 200; false when unreachable. Never throws. */
  boolean healthy();

  /** {@code POST /v1/jobs}: the job starts at once. */
  Submitted submit(Operation operation) throws JobClientException;

  /**
   * Submits {@code operation} and follows its job from the start: {@code onSubmitted} hears the
   * id before any event, then as {@link #follow(String, long, Consumer)}. The real queen does
   * both in one request ({@link io.rbee.jobs.client.JobClient#run}).
   */
  default Done run(Operation operation, Consumer<Submitted> onSubmitted,
      Consumer<SseEvent> onEvent) throws JobClientException {
    Submitted submitted = submit(operation);
    onSubmitted.accept(submitted);
    return follow(submitted.jobId(), 0, onEvent);
  }

  /**
   * Follows the job's stream from after event {@code afterId} (0 = from the start), calling
   * {@code onEvent} on the calling thread for every event, {@code done} included, in order;
   * returns the {@code done} data. Throws kind STREAM_BROKEN when the stream ends without one.
   */
  Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent) throws JobClientException;

  /**
   * {@link #follow(String, long, Consumer)} that keeps trying to resume a broken stream for
   * {@code window} (a queen restart takes seconds), telling {@code resumes} of each outage.
   */
  default Done follow(String jobId, long afterId, Duration window, ResumeListener resumes,
      Consumer<SseEvent> onEvent) throws JobClientException {
    return follow(jobId, afterId, onEvent);
  }

  /**
   * The job's stored events from the start, up to event id {@code upToId} (what it had when
   * asked) or its {@code done}, whichever comes first, then the stream is closed: never waits
   * for a running job's next event. Returns the {@code done} data, or null when the job had
   * not ended by {@code upToId}.
   */
  default Done replay(String jobId, long upToId, Consumer<SseEvent> onEvent)
      throws JobClientException {
    throw new UnsupportedOperationException("replay is not supported by " + url());
  }

  /**
   * {@code GET /v1/jobs} with {@code query} as its query parameters ({@code status},
   * {@code operation}, {@code since}, {@code limit}): the jobs, newest first, and whether the
   * queen keeps a history. A bad filter is a REJECTED 400 ({@code invalid_filter}).
   */
  default JobList jobs(Map<String, String> query) throws JobClientException {
    throw new UnsupportedOperationException("listing jobs is not supported by " + url());
  }

  /** {@code GET /v1/jobs/{id}}. */
  JobInfo status(String jobId) throws JobClientException;

  /** {@code DELETE /v1/jobs/{id}}: cancels the job (a no-op when it already ended). */
  JobInfo cancel(String jobId) throws JobClientException;

  /**
   * A turn of a chat over the queen's OpenAI-compatible {@code POST /v1/chat/completions},
   * streamed; nothing is sent until {@link ChatCall#execute}.
   *
   * @throws JobClientException UNAUTHORIZED when there is no token to send
   */
  ChatCall chat(ChatRequest request) throws JobClientException;

  /** The last {@code tail} lines of a worker's log, as text. */
  String workerLogs(String hiveId, String workerId, int tail) throws JobClientException;
}
