package io.rbee.keeper.queen;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClientException;
import io.rbee.narration.sse.SseEvent;
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
   * Follows the job's stream from after event {@code afterId} (0 = from the start), calling
   * {@code onEvent} on the calling thread for every event, {@code done} included, in order;
   * returns the {@code done} data. Throws kind STREAM_BROKEN when the stream ends without one.
   */
  Done follow(String jobId, long afterId, Consumer<SseEvent> onEvent) throws JobClientException;

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
